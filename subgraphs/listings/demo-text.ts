/**
 * Deterministic Romanian demo listings: realistic titles, descriptions, prices and attribute values per
 * category family, always valid for the marketplace's own input rules (so demo data looks like what
 * users can post). Drawn from a seeded random stream, so the same seed always yields the same data set.
 */
import { formatInteger } from "../../lib/ro-format.ts";
import type { AttributeDefinition } from "./catalog/attribute-definition.ts";

/** A seeded random stream: numbers in [0, 1). */
export type Rng = () => number;

export interface DemoListing {
  title: string;
  description: string;
  priceAmount: number;
  currency: "RON" | "EUR";
  negotiable: boolean;
  condition: "NEW" | "USED" | "REFURBISHED" | null;
  attributes: Record<string, string | number | boolean>;
}

type Values = Record<string, string | number | boolean>;
type Category = { id: number; slug: string; name: string };
type Place = { countyName: string; city: string };

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
/** Romanian grouping ("148.000"): never a bare run of digits that could pass for a phone number. */
const num = formatInteger;
const round = (n: number, step: number) => Math.max(step, Math.round(n / step) * step);

// ---- attribute values -----------------------------------------------------------------------------

const CAR_MODELS: Record<string, string[]> = {
  dacia: ["Logan", "Sandero", "Duster", "Spring", "Jogger"],
  volkswagen: ["Golf", "Passat", "Polo", "Tiguan", "Touran"],
  bmw: ["Seria 3", "Seria 5", "X3", "X5", "Seria 1"],
  audi: ["A4", "A6", "A3", "Q5", "Q7"],
  "mercedes-benz": ["C-Class", "E-Class", "A-Class", "GLC", "Vito"],
  ford: ["Focus", "Fiesta", "Mondeo", "Kuga", "Transit"],
  opel: ["Astra", "Corsa", "Insignia", "Zafira", "Mokka"],
  renault: ["Clio", "Megane", "Captur", "Kadjar", "Scenic"],
  skoda: ["Octavia", "Fabia", "Superb", "Kodiaq", "Rapid"],
  toyota: ["Corolla", "Yaris", "RAV4", "Auris", "C-HR"],
  hyundai: ["i30", "Tucson", "i20", "Kona"],
  kia: ["Ceed", "Sportage", "Rio", "Niro"],
  peugeot: ["308", "208", "3008", "508"],
  citroen: ["C3", "C4", "C5 Aircross", "Berlingo"],
  fiat: ["Punto", "Tipo", "500", "Doblo"],
  nissan: ["Qashqai", "Juke", "X-Trail", "Micra"],
  honda: ["Civic", "CR-V", "Jazz", "Accord"],
  mazda: ["Mazda3", "Mazda6", "CX-5", "CX-30"],
  volvo: ["XC60", "V60", "XC90", "S60"],
  seat: ["Leon", "Ibiza", "Ateca", "Arona"],
};
/** Brands that fit the category, for free-text brand attributes. */
const BRANDS_BY_CATEGORY: Record<string, string[]> = {
  biciclete: ["Scott", "Merida", "Cube", "Btwin", "Giant"],
  "unelte-scule": ["Bosch", "Makita", "DeWalt", "Stihl", "Einhell"],
  imbracaminte: ["Zara", "H&M", "Nike", "Adidas", "Reserved"],
  incaltaminte: ["Nike", "Adidas", "Geox", "Puma", "Clarks"],
  electrocasnice: ["Bosch", "Samsung", "Arctic", "Whirlpool", "Electrolux"],
  "carucioare-scaune-auto": ["Chicco", "Cybex", "Britax", "Kinderkraft"],
  "utilaje-agricole": ["John Deere", "Claas", "New Holland", "Fendt"],
};
const STRING_VALUES: Record<string, string[]> = {
  brand: ["Bosch", "Philips", "Decathlon", "Zara", "Nike", "Adidas", "Makita", "IKEA", "Stihl", "Samsung"],
  color: ["alb", "negru", "gri metalizat", "albastru", "roșu", "argintiu"],
  size: ["S", "M", "L", "XL", "38", "40", "42", "44"],
  material: ["lemn masiv", "PAL melaminat", "MDF", "metal", "stejar"],
  author: ["Mircea Eliade", "Liviu Rebreanu", "Mihail Sadoveanu", "Marin Preda", "Ana Blandiana"],
  breed: ["metis", "Labrador", "Ciobănesc German", "Bichon", "Golden Retriever", "Beagle"],
  catBreed: ["British Shorthair", "Persană", "Europeană", "Maine Coon", "Ragdoll"],
  species: ["iepure", "papagal", "hamster", "broască țestoasă", "găini ouătoare", "capre"],
  compatibleMake: ["Dacia", "Volkswagen", "Ford", "Opel", "Renault"],
  subject: ["matematică", "limba română", "engleză", "fizică", "informatică"],
};

function valueFor(rng: Rng, def: AttributeDefinition, chosen: Values, category: Category): string | number | boolean {
  switch (def.type) {
    case "ENUM":
      return pick(rng, def.options ?? [{ value: "", label: "" }]).value;
    case "BOOLEAN":
      return rng() < 0.5;
    case "STRING": {
      if (def.key === "model") return pick(rng, CAR_MODELS[String(chosen.make)] ?? ["Berlină", "Break", "Hatchback"]);
      const key = def.key === "breed" && category.slug === "pisici" ? "catBreed" : def.key;
      const choices = (def.key === "brand" && BRANDS_BY_CATEGORY[category.slug]) || STRING_VALUES[key] || STRING_VALUES.brand!;
      const text = pick(rng, choices);
      return text.slice(0, def.maxLength ?? 100);
    }
    case "INT":
    case "DECIMAL": {
      const ranges: Record<string, [number, number]> = {
        year: [2005, 2024], km: [15_000, 320_000], engineCapacity: [999, 2996], power: [75, 250],
        rooms: [1, 4], area: [35, 140], floor: [0, 10], yearBuilt: [1965, 2024], landArea: [300, 5000],
        storageGb: [64, 512], ramGb: [8, 32], screenSize: [32, 75], ageMonths: [2, 36], hours: [500, 9000],
        length: [3, 8], wheelSize: [20, 29], minAge: [3, 12],
      };
      const [lo, hi] = ranges[def.key] ?? [def.min ?? 0, Math.min(def.max ?? 100, (def.min ?? 0) + 100)];
      const value = int(rng, Math.max(lo, def.min ?? lo), Math.min(hi, def.max ?? hi));
      if (def.key === "km") return round(value, 1000);
      if (def.key === "storageGb") return pick(rng, [64, 128, 256, 512].filter((v) => v >= (def.min ?? 0)));
      // Apartments and houses: the floor area follows the number of rooms.
      if (def.key === "area" && typeof chosen.rooms === "number") return Math.min(def.max ?? 1000, chosen.rooms * int(rng, 18, 30) + int(rng, 5, 20));
      return value;
    }
  }
}

function attributeValues(rng: Rng, defs: AttributeDefinition[], category: Category): Values {
  const values: Values = {};
  for (const def of defs) {
    if (!def.required && rng() < 0.25) continue;
    values[def.key] = valueFor(rng, def, values, category);
  }
  return values;
}

const label = (defs: AttributeDefinition[], key: string, value: unknown) =>
  defs.find((d) => d.key === key)?.options?.find((o) => o.value === value)?.label ?? String(value ?? "");

// ---- text per family ------------------------------------------------------------------------------

interface Draft {
  title: string;
  intro: string;
  details: string[];
  /** How the deal is done: hand-over for goods, viewing for property, applying for jobs. */
  closing: string;
  price: [number, number];
  currency: "RON" | "EUR";
  condition: DemoListing["condition"];
}

const REASONS = ["Vând deoarece m-am mutat.", "Nu îl mai folosesc, de aceea îl vând.", "Vând pentru că am luat altul nou.", "Îl vând din cauza lipsei de spațiu.", "Vânzare rapidă, plec din țară."];
const CONDITION_TEXT: Record<"NEW" | "USED" | "REFURBISHED", { adjectives: string[]; sentences: string[] }> = {
  NEW: { adjectives: ["nou, sigilat", "nou, cu etichetă", "nefolosit"], sentences: ["Este nou, în ambalajul original.", "Nu a fost folosit niciodată, are factură."] },
  USED: {
    adjectives: ["în stare foarte bună", "puțin folosit", "ca nou", "bine întreținut"],
    sentences: ["Starea este foarte bună, fără defecte.", "Arată impecabil, a fost folosit cu grijă.", "Are urme mici de folosință, funcționează perfect."],
  },
  REFURBISHED: { adjectives: ["recondiționat", "revizuit complet"], sentences: ["A fost recondiționat profesionist și are garanție."] },
};

function car(rng: Rng, v: Values, defs: AttributeDefinition[], place: Place): Draft {
  const make = label(defs, "make", v.make);
  const fuel = label(defs, "fuel", v.fuel).toLowerCase();
  const owner = pick(rng, ["unic proprietar", "carte de service", "întreținută", "fără accidente", "import recent"]);
  return {
    title: `${make} ${v.model} ${v.year}, ${num(Number(v.km))} km, ${owner}`,
    intro: `Vând ${make} ${v.model} din ${v.year}, motorizare ${fuel}, cu ${num(Number(v.km))} km reali.`,
    details: ["Toate reviziile făcute la timp, ITP valabil.", "Anvelope de vară și de iarnă incluse.", "Se poate verifica la orice service autorizat."],
    closing: `Mașina se află în ${place.city}, județul ${place.countyName}; test drive oricând.`,
    price: [1_500, 45_000],
    currency: "EUR",
    condition: "USED",
  };
}

function realEstate(rng: Rng, v: Values, category: Category, place: Place): Draft {
  const rooms = Number(v.rooms ?? 0);
  const area = Number(v.area ?? v.landArea ?? 0);
  const rent = category.slug.includes("inchiriat") || v.transactionType === "inchiriere";
  const kind = category.slug.startsWith("case") ? "Casă" : category.slug === "terenuri" ? "Teren" : category.slug.startsWith("spatii") ? "Spațiu comercial" : "Apartament";
  const what = rooms ? `${kind} ${rooms} ${rooms === 1 ? "cameră" : "camere"}` : kind;
  const zone = pick(rng, ["zona centrală", "aproape de parc", "lângă metrou", "cartier liniștit", "zonă rezidențială"]);
  return {
    title: `${what} ${rent ? "de închiriat" : "de vânzare"}, ${place.city}, ${num(area)} mp`,
    intro: `${rent ? "Închiriez" : "Vând"} ${what.toLowerCase()} în ${place.city}, ${zone}, suprafață ${num(area)} mp.`,
    details: ["Acte în regulă, disponibil imediat.", "Utilități racordate, încălzire proprie."],
    closing: `Vizionări în ${place.city} în orice zi, cu programare prin mesaj.`,
    price: rent ? [250, 1_500] : category.slug === "terenuri" ? [5_000, 150_000] : [45_000, 250_000],
    currency: "EUR",
    condition: null,
  };
}

function job(rng: Rng, v: Values, category: Category, place: Place): Draft {
  const role = pick(rng, ["Angajăm coleg", "Căutăm coleg", "Post disponibil"]);
  return {
    title: `${role}: ${category.name.toLowerCase()}, ${place.city}`,
    intro: `Firmă din ${place.city} angajează personal în domeniul ${category.name.toLowerCase()}, contract ${String(v.contractType ?? "full-time")}.`,
    details: ["Oferim salariu motivant, bonuri de masă și program stabil.", "Nu este necesară experiența, asigurăm instruire."],
    closing: "Trimite-ne un mesaj pe platformă cu experiența ta și te sunăm noi.",
    price: [3_500, 12_000],
    currency: "RON",
    condition: null,
  };
}

function gadget(rng: Rng, v: Values, defs: AttributeDefinition[], category: Category, place: Place): Draft {
  const brand = label(defs, "brand", v.brand);
  const storage = v.storageGb ? ` ${v.storageGb} GB` : "";
  const noun = category.slug === "laptopuri-calculatoare" ? "Laptop" : category.slug === "tablete" ? "Tabletă" : "Telefon";
  const extra = pick(rng, ["impecabil", "baterie bună", "cu garanție", "ca nou", "cu husă și folie"]);
  return {
    title: `${noun} ${brand}${storage}, ${extra}`,
    intro: `Vând ${noun.toLowerCase()} ${brand}${storage}, ${extra}, funcționează fără probleme.`,
    details: ["Se vinde cu încărcător și cutia originală.", "Nu a fost reparat niciodată.", "Decodat, merge în orice rețea."],
    closing: handOver(place),
    price: noun === "Laptop" ? [900, 7_000] : [300, 6_000],
    currency: "RON",
    condition: pick(rng, ["USED", "USED", "NEW", "REFURBISHED"] as const),
  };
}

const GOODS_PRICE: Record<string, [number, number]> = {
  "1": [100, 3_000], "4": [150, 4_000], "5": [40, 800], "6": [50, 3_000], "7": [30, 1_500],
  "8": [50, 3_000], "9": [100, 2_500], "10": [500, 60_000], "11": [100, 2_000],
};

/** What a leaf category sells, when its type attribute alone would not say it ("Electrică" → "Bicicletă electrică"). */
const NOUNS: Record<string, string> = { biciclete: "Bicicletă", "console-jocuri": "Consolă", imbracaminte: "Haine", incaltaminte: "Încălțăminte" };

function pet(rng: Rng, v: Values, category: Category, place: Place): Draft {
  const breed = String(v.breed ?? v.species ?? category.name);
  const age = typeof v.ageMonths === "number" ? `${v.ageMonths} luni` : pick(rng, ["tineri", "adulți"]);
  return {
    title: `${category.name === "Câini" ? "Cățel" : category.name === "Pisici" ? "Pisicuță" : "Animal"} ${breed}, ${age}, crescut în familie`,
    intro: `Oferim spre adopție sau vânzare ${breed.toLowerCase()}, ${age}, sociabil și obișnuit cu copiii.`,
    details: ["Deparazitat intern și extern, carnet de sănătate.", "Mănâncă hrană uscată și umedă.", "Părinții pot fi văzuți la noi acasă."],
    closing: `Se poate vedea în ${place.city}, județul ${place.countyName}, cu programare.`,
    price: [100, 2_500],
    currency: "RON",
    condition: null,
  };
}

const handOver = (place: Place) => `Predare personală în ${place.city} (județul ${place.countyName}) sau livrare prin curier.`;

function goods(rng: Rng, v: Values, defs: AttributeDefinition[], category: Category, place: Place): Draft {
  const condition = pick(rng, ["USED", "USED", "NEW"] as const);
  const adjective = pick(rng, CONDITION_TEXT[condition].adjectives);
  const kind = defs.find((d) => d.type === "ENUM" && d.required);
  const kindLabel = kind ? label(defs, kind.key, v[kind.key]) : category.name;
  const noun = NOUNS[category.slug];
  const subject = noun ? `${noun} ${kindLabel.toLowerCase()}` : kindLabel;
  const brand = typeof v.brand === "string" && defs.find((d) => d.key === "brand")?.type === "STRING" ? ` ${v.brand}` : "";
  const service = category.id >= 1100;
  return {
    title: service ? `${category.name}: servicii rapide și garantate` : `${subject}${brand}, ${adjective}`,
    intro: service
      ? `Oferim servicii de ${category.name.toLowerCase()} la prețuri corecte, cu experiență de peste zece ani.`
      : `Vând ${subject.toLowerCase()}${brand}, ${adjective}, din categoria ${category.name.toLowerCase()}.`,
    details: service
      ? ["Deplasare gratuită în oraș.", "Lucrăm și în weekend, cu programare.", "Oferim factură și garanție pentru lucrare."]
      : ["Fotografiile sunt reale, produsul arată exact ca în poze.", "Se poate testa la predare.", "Accept și schimburi în aceeași categorie."],
    closing: service ? `Acoperim ${place.city} și împrejurimile, județul ${place.countyName}.` : handOver(place),
    price: GOODS_PRICE[String(Math.floor(category.id / 100))] ?? [50, 2_000],
    currency: "RON",
    condition: service ? null : condition,
  };
}

function draftFor(rng: Rng, category: Category, defs: AttributeDefinition[], v: Values, place: Place): Draft {
  const family = Math.floor(category.id / 100);
  if (category.slug === "autoturisme") return car(rng, v, defs, place);
  if (family === 2) return realEstate(rng, v, category, place);
  if (family === 3) return job(rng, v, category, place);
  if (["telefoane", "tablete", "laptopuri-calculatoare"].includes(category.slug)) return gadget(rng, v, defs, category, place);
  if (["caini", "pisici", "alte-animale", "animale-ferma"].includes(category.slug)) return pet(rng, v, category, place);
  return goods(rng, v, defs, category, place);
}

/** Keeps a title within 16–70 characters, cutting at a word boundary. */
function fitTitle(title: string, category: Category): string {
  let t = title.replace(/\s+/g, " ").trim();
  if (t.length > 70) t = t.slice(0, 71).replace(/[\s,;:-]+\S*$/, "");
  if (t.length < 16) t = `${t} – ${category.name.toLowerCase()}`.slice(0, 70);
  return t;
}

export function generateListing(rng: Rng, category: Category, attributes: AttributeDefinition[], place: Place): DemoListing {
  const values = attributeValues(rng, attributes, category);
  const draft = draftFor(rng, category, attributes, values, place);
  const sentences = [
    draft.intro,
    draft.condition === null ? "" : pick(rng, CONDITION_TEXT[draft.condition].sentences),
    ...draft.details.filter(() => rng() < 0.7),
    draft.condition === null ? "" : pick(rng, REASONS),
    draft.closing,
  ].filter(Boolean);
  const [lo, hi] = draft.price;
  const step = hi >= 10_000 ? 500 : hi >= 1_000 ? 10 : 5;
  return {
    title: fitTitle(draft.title, category),
    description: sentences.join(" "),
    priceAmount: round(int(rng, lo, hi), step) * 100,
    currency: draft.currency,
    negotiable: rng() < 0.6,
    condition: draft.condition,
    attributes: values,
  };
}
