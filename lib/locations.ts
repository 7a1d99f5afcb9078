/**
 * Romanian counties (41 județe + Municipiul București) with their official vehicle-registration /
 * ISO 3166-2:RO codes, and the urban localities of each county: every municipiu (listed first, the
 * county seat at index 0) and every oraș. Ilfov and Giurgiu also list a few large communes that are
 * common listing locations (Ilfov has no municipiu; Giurgiu has only three urban localities).
 *
 * Names use Romanian diacritics with comma below (ș, ț), never the legacy cedilla forms (ş, ţ).
 * București is a single city here: its sectors are not cities.
 */

import type { InputProblem, Problem } from "./errors.ts";

export interface County {
  /** Official 1–2 letter code: "CJ", "IS", "B". */
  code: string;
  /** Romanian name with diacritics: "Cluj", "Iași", "București". */
  name: string;
  /** County seat first, then the other municipii, then the orașe. */
  cities: string[];
}

export const COUNTIES: readonly County[] = [
  {
    code: "AB",
    name: "Alba",
    cities: ["Alba Iulia", "Aiud", "Blaj", "Sebeș", "Abrud", "Baia de Arieș", "Câmpeni", "Cugir", "Ocna Mureș", "Teiuș", "Zlatna"],
  },
  {
    code: "AR",
    name: "Arad",
    cities: ["Arad", "Chișineu-Criș", "Curtici", "Ineu", "Lipova", "Nădlac", "Pâncota", "Pecica", "Sântana", "Sebiș"],
  },
  {
    code: "AG",
    name: "Argeș",
    cities: ["Pitești", "Câmpulung", "Curtea de Argeș", "Costești", "Mioveni", "Ștefănești", "Topoloveni"],
  },
  {
    code: "BC",
    name: "Bacău",
    cities: ["Bacău", "Moinești", "Onești", "Buhuși", "Comănești", "Dărmănești", "Slănic-Moldova", "Târgu Ocna"],
  },
  {
    code: "BH",
    name: "Bihor",
    cities: ["Oradea", "Beiuș", "Marghita", "Salonta", "Aleșd", "Nucet", "Săcueni", "Ștei", "Valea lui Mihai", "Vașcău"],
  },
  {
    code: "BN",
    name: "Bistrița-Năsăud",
    cities: ["Bistrița", "Beclean", "Năsăud", "Sângeorz-Băi"],
  },
  {
    code: "BT",
    name: "Botoșani",
    cities: ["Botoșani", "Dorohoi", "Bucecea", "Darabani", "Flămânzi", "Săveni", "Ștefănești"],
  },
  {
    code: "BV",
    name: "Brașov",
    cities: ["Brașov", "Codlea", "Făgăraș", "Săcele", "Ghimbav", "Predeal", "Râșnov", "Rupea", "Victoria", "Zărnești"],
  },
  {
    code: "BR",
    name: "Brăila",
    cities: ["Brăila", "Făurei", "Ianca", "Însurăței"],
  },
  {
    code: "B",
    name: "București",
    cities: ["București"],
  },
  {
    code: "BZ",
    name: "Buzău",
    cities: ["Buzău", "Râmnicu Sărat", "Nehoiu", "Pătârlagele", "Pogoanele"],
  },
  {
    code: "CS",
    name: "Caraș-Severin",
    cities: ["Reșița", "Caransebeș", "Anina", "Băile Herculane", "Bocșa", "Moldova Nouă", "Oravița", "Oțelu Roșu"],
  },
  {
    code: "CL",
    name: "Călărași",
    cities: ["Călărași", "Oltenița", "Budești", "Fundulea", "Lehliu-Gară"],
  },
  {
    code: "CJ",
    name: "Cluj",
    cities: ["Cluj-Napoca", "Câmpia Turzii", "Dej", "Gherla", "Turda", "Huedin"],
  },
  {
    code: "CT",
    name: "Constanța",
    cities: [
      "Constanța",
      "Mangalia",
      "Medgidia",
      "Băneasa",
      "Cernavodă",
      "Eforie",
      "Hârșova",
      "Murfatlar",
      "Năvodari",
      "Negru Vodă",
      "Ovidiu",
      "Techirghiol",
    ],
  },
  {
    code: "CV",
    name: "Covasna",
    cities: ["Sfântu Gheorghe", "Târgu Secuiesc", "Baraolt", "Covasna", "Întorsura Buzăului"],
  },
  {
    code: "DB",
    name: "Dâmbovița",
    cities: ["Târgoviște", "Moreni", "Fieni", "Găești", "Pucioasa", "Răcari", "Titu"],
  },
  {
    code: "DJ",
    name: "Dolj",
    cities: ["Craiova", "Băilești", "Calafat", "Bechet", "Dăbuleni", "Filiași", "Segarcea"],
  },
  {
    code: "GL",
    name: "Galați",
    cities: ["Galați", "Tecuci", "Berești", "Târgu Bujor"],
  },
  {
    code: "GR",
    name: "Giurgiu",
    // Three urban localities, plus large communes.
    cities: ["Giurgiu", "Bolintin-Vale", "Mihăilești", "Bolintin-Deal", "Comana", "Călugăreni"],
  },
  {
    code: "GJ",
    name: "Gorj",
    cities: [
      "Târgu Jiu",
      "Motru",
      "Bumbești-Jiu",
      "Novaci",
      "Rovinari",
      "Târgu Cărbunești",
      "Tismana",
      "Turceni",
      "Țicleni",
    ],
  },
  {
    code: "HR",
    name: "Harghita",
    cities: [
      "Miercurea Ciuc",
      "Gheorgheni",
      "Odorheiu Secuiesc",
      "Toplița",
      "Băile Tușnad",
      "Bălan",
      "Borsec",
      "Cristuru Secuiesc",
      "Vlăhița",
    ],
  },
  {
    code: "HD",
    name: "Hunedoara",
    cities: [
      "Deva",
      "Brad",
      "Hunedoara",
      "Lupeni",
      "Orăștie",
      "Petroșani",
      "Vulcan",
      "Aninoasa",
      "Călan",
      "Geoagiu",
      "Hațeg",
      "Petrila",
      "Simeria",
      "Uricani",
    ],
  },
  {
    code: "IL",
    name: "Ialomița",
    cities: ["Slobozia", "Fetești", "Urziceni", "Amara", "Căzănești", "Fierbinți-Târg", "Țăndărei"],
  },
  {
    code: "IS",
    name: "Iași",
    cities: ["Iași", "Pașcani", "Hârlău", "Podu Iloaiei", "Târgu Frumos"],
  },
  {
    code: "IF",
    name: "Ilfov",
    // No municipiu; the eight orașe, then the largest communes around București.
    cities: [
      "Voluntari",
      "Otopeni",
      "Pantelimon",
      "Buftea",
      "Popești-Leordeni",
      "Bragadiru",
      "Chitila",
      "Măgurele",
      "Chiajna",
      "Corbeanca",
      "Mogoșoaia",
      "Snagov",
      "Tunari",
      "Jilava",
      "Berceni",
      "Domnești",
      "Dobroești",
      "Ștefăneștii de Jos",
      "Balotești",
      "Afumați",
      "Cernica",
      "Glina",
    ],
  },
  {
    code: "MM",
    name: "Maramureș",
    cities: [
      "Baia Mare",
      "Sighetu Marmației",
      "Baia Sprie",
      "Borșa",
      "Cavnic",
      "Dragomirești",
      "Săliștea de Sus",
      "Seini",
      "Șomcuta Mare",
      "Tăuții-Măgherăuș",
      "Târgu Lăpuș",
      "Ulmeni",
      "Vișeu de Sus",
    ],
  },
  {
    code: "MH",
    name: "Mehedinți",
    cities: ["Drobeta-Turnu Severin", "Orșova", "Baia de Aramă", "Strehaia", "Vânju Mare"],
  },
  {
    code: "MS",
    name: "Mureș",
    cities: [
      "Târgu Mureș",
      "Reghin",
      "Sighișoara",
      "Târnăveni",
      "Iernut",
      "Luduș",
      "Miercurea Nirajului",
      "Sărmașu",
      "Sângeorgiu de Pădure",
      "Sovata",
      "Ungheni",
    ],
  },
  {
    code: "NT",
    name: "Neamț",
    cities: ["Piatra Neamț", "Roman", "Bicaz", "Roznov", "Târgu Neamț"],
  },
  {
    code: "OT",
    name: "Olt",
    cities: ["Slatina", "Caracal", "Balș", "Corabia", "Drăgănești-Olt", "Piatra-Olt", "Potcoava", "Scornicești"],
  },
  {
    code: "PH",
    name: "Prahova",
    cities: [
      "Ploiești",
      "Câmpina",
      "Azuga",
      "Băicoi",
      "Boldești-Scăeni",
      "Breaza",
      "Bușteni",
      "Comarnic",
      "Mizil",
      "Plopeni",
      "Sinaia",
      "Slănic",
      "Urlați",
      "Vălenii de Munte",
    ],
  },
  {
    code: "SM",
    name: "Satu Mare",
    cities: ["Satu Mare", "Carei", "Ardud", "Livada", "Negrești-Oaș", "Tășnad"],
  },
  {
    code: "SJ",
    name: "Sălaj",
    cities: ["Zalău", "Cehu Silvaniei", "Jibou", "Șimleu Silvaniei"],
  },
  {
    code: "SB",
    name: "Sibiu",
    cities: [
      "Sibiu",
      "Mediaș",
      "Agnita",
      "Avrig",
      "Cisnădie",
      "Copșa Mică",
      "Dumbrăveni",
      "Miercurea Sibiului",
      "Ocna Sibiului",
      "Săliște",
      "Tălmaciu",
    ],
  },
  {
    code: "SV",
    name: "Suceava",
    cities: [
      "Suceava",
      "Câmpulung Moldovenesc",
      "Fălticeni",
      "Rădăuți",
      "Vatra Dornei",
      "Broșteni",
      "Cajvana",
      "Dolhasca",
      "Frasin",
      "Gura Humorului",
      "Liteni",
      "Milișăuți",
      "Salcea",
      "Siret",
      "Solca",
      "Vicovu de Sus",
    ],
  },
  {
    code: "TR",
    name: "Teleorman",
    cities: ["Alexandria", "Roșiorii de Vede", "Turnu Măgurele", "Videle", "Zimnicea"],
  },
  {
    code: "TM",
    name: "Timiș",
    cities: ["Timișoara", "Lugoj", "Buziaș", "Ciacova", "Deta", "Făget", "Gătaia", "Jimbolia", "Recaș", "Sânnicolau Mare"],
  },
  {
    code: "TL",
    name: "Tulcea",
    cities: ["Tulcea", "Babadag", "Isaccea", "Măcin", "Sulina"],
  },
  {
    code: "VS",
    name: "Vaslui",
    cities: ["Vaslui", "Bârlad", "Huși", "Murgeni", "Negrești"],
  },
  {
    code: "VL",
    name: "Vâlcea",
    cities: [
      "Râmnicu Vâlcea",
      "Drăgășani",
      "Băbeni",
      "Băile Govora",
      "Băile Olănești",
      "Bălcești",
      "Berbești",
      "Brezoi",
      "Călimănești",
      "Horezu",
      "Ocnele Mari",
    ],
  },
  {
    code: "VN",
    name: "Vrancea",
    cities: ["Focșani", "Adjud", "Mărășești", "Odobești", "Panciu"],
  },
];

/**
 * Comparison key for place names: lower case, no diacritics (comma-below and legacy cedilla forms
 * alike), hyphens and runs of white space folded to one space.
 */
function placeKey(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[\s\-\u2010-\u2015]+/g, " ")
    .trim();
}

const COUNTY_BY_CODE = new Map<string, County>(COUNTIES.map((c) => [c.code, c]));

const CITY_INDEX = new Map<string, Map<string, string>>(
  COUNTIES.map((c) => [c.code, new Map(c.cities.map((city) => [placeKey(city), city]))]),
);

/** The county with this code ("cj" and " CJ " are accepted too). */
export function findCounty(code: string): County | undefined {
  return COUNTY_BY_CODE.get(code.trim().toUpperCase());
}

/** Canonical spelling of a city of the county, matched case- and diacritic-insensitively. */
export function normalizeCity(code: string, city: string): string | undefined {
  const county = findCounty(code);
  if (!county) return undefined;
  return CITY_INDEX.get(county.code)?.get(placeKey(city));
}

/** A name of a county as people write it ("Cluj", "jud. Iași", "Municipiul București") → the county. */
const COUNTY_BY_NAME = new Map<string, County>([
  ...COUNTIES.map((c) => [placeKey(c.name), c] as const),
  ["bucharest", COUNTY_BY_CODE.get("B")!],
]);
const COUNTY_WORDS = /^(?:judetul|judet|jud\.?|municipiul|county of)\s*|\s*county$/;

/** A city name → the counties that have a city of that name ("Cluj-Napoca" → Cluj). */
const COUNTIES_BY_CITY = new Map<string, County[]>();
for (const county of COUNTIES) {
  for (const city of county.cities) COUNTIES_BY_CITY.set(placeKey(city), [...(COUNTIES_BY_CITY.get(placeKey(city)) ?? []), county]);
}

/** Longer than any place name: not worth reading, nor echoing back whole. */
const MAX_NAME = 64;
const shown = (text: string) => (text.length > MAX_NAME ? `${text.slice(0, MAX_NAME)}…` : text);

/** The county a code names, or the problem with the code: with the code to send when a name was sent. */
export function checkCounty(code: string): { county: County; problem?: undefined } | { county?: undefined; problem: Problem } {
  const county = findCounty(code);
  if (county) return { county };
  const text = code.trim();
  if (!text) {
    return { problem: { reason: "REQUIRED", message: { ro: "Alege județul (codul lui, de exemplu „CJ”).", en: 'Choose the county (its code, e.g. "CJ").' } } };
  }
  const key = text.length <= MAX_NAME ? placeKey(text).replace(COUNTY_WORDS, "") : "";
  const named = COUNTY_BY_NAME.get(key);
  if (named) {
    return {
      problem: {
        reason: "INVALID_FORMAT",
        message: {
          ro: `Județul se dă prin cod, nu prin nume: pentru ${named.name} trimite „${named.code}” (lista codurilor: counties).`,
          en: `The county is given by its code, not its name: for ${named.name} send "${named.code}" (counties lists the codes).`,
        },
      },
    };
  }
  const [ofCity, ...others] = COUNTIES_BY_CITY.get(key) ?? [];
  if (ofCity && others.length === 0) {
    return {
      problem: {
        reason: "INVALID_FORMAT",
        message: {
          ro: `„${text}” este un oraș din județul ${ofCity.name}: trimite codul județului, „${ofCity.code}”, în county și orașul în city.`,
          en: `"${text}" is a city in ${ofCity.name} county: send the county's code, "${ofCity.code}", as county and the city as city.`,
        },
      },
    };
  }
  return {
    problem: {
      reason: "NOT_FOUND",
      message: {
        ro: `Județul „${shown(text)}” nu există; trimite codul unui județ, de exemplu „CJ” sau „B” (lista: counties).`,
        en: `There is no county "${shown(text)}"; send a county code such as "CJ" or "B" (counties lists them).`,
      },
    },
  };
}

/**
 * A county code and a city checked together, as every location input is: the canonical county and
 * city, or the problems on `fieldPrefix` + "county" / "city" (the city is only checked against a
 * county that exists).
 */
export function checkLocation(code: string, city: string, fieldPrefix = ""): { location?: LocationRef; problems: InputProblem[] } {
  const { county, problem } = checkCounty(code);
  if (!county) return { problems: [{ field: `${fieldPrefix}county`, ...problem }] };
  const canonical = normalizeCity(county.code, city);
  if (canonical) return { location: { county, city: canonical }, problems: [] };
  return { problems: [{ field: `${fieldPrefix}city`, ...cityProblem(county, city) }] };
}

function cityProblem(county: County, city: string): Problem {
  const text = city.trim();
  if (!text) return { reason: "REQUIRED", message: { ro: "Alege orașul.", en: "Choose the city." } };
  const elsewhere = text.length <= MAX_NAME ? COUNTIES_BY_CITY.get(placeKey(text)) : undefined;
  const hint = elsewhere?.length
    ? {
        ro: ` (există în județul ${elsewhere.map((c) => `${c.name}, „${c.code}”`).join("; ")})`,
        en: ` (there is one in ${elsewhere.map((c) => `${c.name} county, "${c.code}"`).join("; ")})`,
      }
    : { ro: "", en: "" };
  return {
    reason: "NOT_FOUND",
    message: {
      ro: `Orașul „${shown(text)}” nu există în județul ${county.name}${hint.ro}.`,
      en: `There is no city "${shown(text)}" in ${county.name} county${hint.en}.`,
    },
  };
}

/** A Location as resolvers pass it on: the county already looked up. */
export interface LocationRef {
  county: County;
  city: string;
}
