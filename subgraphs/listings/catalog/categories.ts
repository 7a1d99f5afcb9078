/**
 * The category tree (modelled on OLX.ro) with per-category attribute definitions.
 *
 * Ids are stable and are the primary keys of the Category table: top levels 1..11, their children
 * parentId * 100 + n (101, 102, …, 1101, …). Slugs are unique, lower-case ASCII, hyphenated.
 * A subcategory inherits the attributes of its ancestors (see Catalog.attributesOf in catalog.ts).
 */
import type { AttributeDefinition, CategoryDefinition } from "./attribute-definition.ts";

type Option = { value: string; label: string };

function opts(...pairs: [value: string, label: string][]): Option[] {
  return pairs.map(([value, label]) => ({ value, label }));
}

// ---------------------------------------------------------------------------------------------
// Shared attribute definitions
// ---------------------------------------------------------------------------------------------

export const CAR_MAKES: readonly Option[] = opts(
  ["dacia", "Dacia"],
  ["volkswagen", "Volkswagen"],
  ["bmw", "BMW"],
  ["audi", "Audi"],
  ["mercedes-benz", "Mercedes-Benz"],
  ["ford", "Ford"],
  ["opel", "Opel"],
  ["renault", "Renault"],
  ["skoda", "Skoda"],
  ["toyota", "Toyota"],
  ["hyundai", "Hyundai"],
  ["kia", "Kia"],
  ["peugeot", "Peugeot"],
  ["citroen", "Citroën"],
  ["fiat", "Fiat"],
  ["nissan", "Nissan"],
  ["honda", "Honda"],
  ["mazda", "Mazda"],
  ["volvo", "Volvo"],
  ["seat", "Seat"],
  ["suzuki", "Suzuki"],
  ["mitsubishi", "Mitsubishi"],
  ["tesla", "Tesla"],
  ["land-rover", "Land Rover"],
  ["mini", "Mini"],
  ["jeep", "Jeep"],
  ["porsche", "Porsche"],
  ["alta", "Altă marcă"],
);

const FUEL = opts(["benzina", "Benzină"], ["diesel", "Diesel"], ["gpl", "Benzină + GPL"], ["hibrid", "Hibrid"], ["electric", "Electric"]);

const GEARBOX = opts(["manuala", "Manuală"], ["automata", "Automată"]);

const BODY_TYPES = opts(
  ["sedan", "Sedan"],
  ["hatchback", "Hatchback"],
  ["break", "Break"],
  ["suv", "SUV"],
  ["coupe", "Coupé"],
  ["cabrio", "Cabrio"],
  ["monovolum", "Monovolum"],
  ["pickup", "Pick-up"],
);

const PARTITIONING = opts(
  ["decomandat", "Decomandat"],
  ["semidecomandat", "Semidecomandat"],
  ["nedecomandat", "Nedecomandat"],
  ["circular", "Circular"],
);

const PHONE_BRANDS = opts(
  ["apple", "Apple"],
  ["samsung", "Samsung"],
  ["xiaomi", "Xiaomi"],
  ["huawei", "Huawei"],
  ["google", "Google"],
  ["oneplus", "OnePlus"],
  ["motorola", "Motorola"],
  ["nokia", "Nokia"],
  ["oppo", "Oppo"],
  ["realme", "Realme"],
  ["altele", "Altă marcă"],
);

const COMPUTER_BRANDS = opts(
  ["lenovo", "Lenovo"],
  ["hp", "HP"],
  ["dell", "Dell"],
  ["asus", "Asus"],
  ["acer", "Acer"],
  ["apple", "Apple"],
  ["msi", "MSI"],
  ["microsoft", "Microsoft"],
  ["samsung", "Samsung"],
  ["altele", "Altă marcă / asamblat"],
);

const GENDER = opts(["femei", "Femei"], ["barbati", "Bărbați"], ["unisex", "Unisex"]);

const SELLER_TYPE = opts(["proprietar", "Proprietar"], ["agentie", "Agenție imobiliară"]);

const rooms = (max: number): AttributeDefinition => ({ key: "rooms", label: "Număr camere", type: "INT", required: true, min: 1, max });
const area = (): AttributeDefinition => ({
  key: "area",
  label: "Suprafață utilă",
  type: "DECIMAL",
  required: true,
  min: 10,
  max: 1000,
  unit: "m²",
});
const landArea = (required: boolean): AttributeDefinition => ({
  key: "landArea",
  label: "Suprafață teren",
  type: "INT",
  required,
  min: 10,
  max: 1_000_000,
  unit: "m²",
});
const yearBuilt = (): AttributeDefinition => ({ key: "yearBuilt", label: "An construcție", type: "INT", min: 1850, max: 2027 });
const year = (label: string, min: number, required = true): AttributeDefinition => ({
  key: "year",
  label,
  type: "INT",
  required,
  min,
  max: 2027,
});
const km = (required = true): AttributeDefinition => ({
  key: "km",
  label: "Rulaj",
  type: "INT",
  required,
  min: 0,
  max: 2_000_000,
  unit: "km",
});
const engineCapacity = (required = false): AttributeDefinition => ({
  key: "engineCapacity",
  label: "Capacitate cilindrică",
  type: "INT",
  required,
  min: 49,
  max: 16_000,
  unit: "cm³",
});
const brandString = (label = "Marcă", required = false): AttributeDefinition => ({
  key: "brand",
  label,
  type: "STRING",
  required,
  maxLength: 40,
});
const apartmentAttributes = (): AttributeDefinition[] => [
  rooms(10),
  area(),
  { key: "floor", label: "Etaj", type: "INT", min: -1, max: 50 },
  yearBuilt(),
  { key: "partitioning", label: "Compartimentare", type: "ENUM", options: PARTITIONING },
];

// ---------------------------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------------------------

export const CATEGORY_TREE: readonly CategoryDefinition[] = [
  {
    id: 1,
    slug: "auto-moto-ambarcatiuni",
    name: "Auto, moto și ambarcațiuni",
    children: [
      {
        id: 101,
        slug: "autoturisme",
        name: "Autoturisme",
        attributes: [
          { key: "make", label: "Marcă", type: "ENUM", required: true, options: [...CAR_MAKES] },
          { key: "model", label: "Model", type: "STRING", required: true, maxLength: 40 },
          year("An fabricație", 1950),
          km(),
          { key: "fuel", label: "Combustibil", type: "ENUM", required: true, options: FUEL },
          { key: "gearbox", label: "Cutie de viteze", type: "ENUM", options: GEARBOX },
          engineCapacity(),
          { key: "power", label: "Putere", type: "INT", min: 1, max: 2000, unit: "CP" },
          { key: "bodyType", label: "Caroserie", type: "ENUM", options: BODY_TYPES },
          { key: "color", label: "Culoare", type: "STRING", maxLength: 30 },
        ],
      },
      {
        id: 102,
        slug: "motociclete-scutere-atv",
        name: "Motociclete, scutere și ATV",
        attributes: [
          {
            key: "motoType",
            label: "Tip",
            type: "ENUM",
            required: true,
            options: opts(
              ["motocicleta", "Motocicletă"],
              ["scuter", "Scuter"],
              ["atv", "ATV / quad"],
              ["enduro-cross", "Enduro / cross"],
            ),
          },
          brandString("Marcă", true),
          year("An fabricație", 1950),
          km(),
          engineCapacity(),
        ],
      },
      {
        id: 103,
        slug: "piese-auto",
        name: "Piese auto",
        attributes: [
          {
            key: "partType",
            label: "Tip piesă",
            type: "ENUM",
            required: true,
            options: opts(
              ["motor-transmisie", "Motor și transmisie"],
              ["caroserie", "Caroserie"],
              ["suspensie-franare", "Suspensie și frânare"],
              ["electrice", "Instalație electrică"],
              ["anvelope-jante", "Anvelope și jante"],
              ["interior", "Interior"],
              ["altele", "Altele"],
            ),
          },
          { key: "compatibleMake", label: "Compatibil cu marca", type: "STRING", maxLength: 40 },
        ],
      },
      {
        id: 104,
        slug: "camioane-rulote-remorci",
        name: "Camioane, rulote și remorci",
        attributes: [
          {
            key: "vehicleType",
            label: "Tip vehicul",
            type: "ENUM",
            required: true,
            options: opts(
              ["autoutilitara", "Autoutilitară"],
              ["camion", "Camion"],
              ["rulota", "Rulotă"],
              ["autorulota", "Autorulotă"],
              ["remorca", "Remorcă"],
            ),
          },
          year("An fabricație", 1950),
          km(false),
        ],
      },
      {
        id: 105,
        slug: "ambarcatiuni",
        name: "Ambarcațiuni",
        attributes: [
          {
            key: "boatType",
            label: "Tip ambarcațiune",
            type: "ENUM",
            required: true,
            options: opts(
              ["barca-motor", "Barcă cu motor"],
              ["barca-pneumatica", "Barcă pneumatică"],
              ["barca-pescuit", "Barcă de pescuit"],
              ["caiac-canoe", "Caiac / canoe"],
              ["velier", "Velier"],
              ["jet-ski", "Jet ski"],
            ),
          },
          { key: "length", label: "Lungime", type: "DECIMAL", min: 1, max: 40, unit: "m" },
          year("An fabricație", 1950, false),
        ],
      },
    ],
  },
  {
    id: 2,
    slug: "imobiliare",
    name: "Imobiliare",
    attributes: [{ key: "sellerType", label: "Tip vânzător", type: "ENUM", options: SELLER_TYPE }],
    children: [
      { id: 201, slug: "apartamente-de-vanzare", name: "Apartamente de vânzare", attributes: apartmentAttributes() },
      {
        id: 202,
        slug: "apartamente-de-inchiriat",
        name: "Apartamente de închiriat",
        attributes: [...apartmentAttributes(), { key: "furnished", label: "Mobilat", type: "BOOLEAN" }],
      },
      {
        id: 203,
        slug: "case-de-vanzare",
        name: "Case de vânzare",
        attributes: [rooms(20), area(), landArea(false), yearBuilt()],
      },
      {
        id: 204,
        slug: "terenuri",
        name: "Terenuri",
        attributes: [
          landArea(true),
          {
            key: "landType",
            label: "Tip teren",
            type: "ENUM",
            required: true,
            options: opts(["intravilan", "Intravilan"], ["extravilan", "Extravilan"]),
          },
        ],
      },
      {
        id: 205,
        slug: "spatii-comerciale",
        name: "Spații comerciale și birouri",
        attributes: [
          {
            key: "transactionType",
            label: "Tip tranzacție",
            type: "ENUM",
            required: true,
            options: opts(["vanzare", "Vânzare"], ["inchiriere", "Închiriere"]),
          },
          {
            key: "spaceType",
            label: "Tip spațiu",
            type: "ENUM",
            options: opts(["birou", "Birou"], ["comercial", "Spațiu comercial"], ["industrial", "Hală / depozit"]),
          },
          area(),
        ],
      },
    ],
  },
  {
    id: 3,
    slug: "locuri-de-munca",
    name: "Locuri de muncă",
    attributes: [
      {
        key: "contractType",
        label: "Tip contract",
        type: "ENUM",
        required: true,
        options: opts(
          ["full-time", "Normă întreagă"],
          ["part-time", "Part-time"],
          ["temporar", "Temporar / sezonier"],
          ["colaborare", "Colaborare (PFA)"],
          ["internship", "Internship"],
        ),
      },
      { key: "remote", label: "Lucru de acasă", type: "BOOLEAN" },
      {
        key: "experience",
        label: "Experiență",
        type: "ENUM",
        options: opts(["fara", "Fără experiență"], ["junior", "Junior"], ["mediu", "Nivel mediu"], ["senior", "Senior"]),
      },
    ],
    children: [
      { id: 301, slug: "it-telecomunicatii", name: "IT și telecomunicații" },
      { id: 302, slug: "vanzari-comert", name: "Vânzări și comerț" },
      { id: 303, slug: "constructii-locuri-de-munca", name: "Construcții și meserii" },
      { id: 304, slug: "soferi-curierat", name: "Șoferi și curierat" },
      { id: 305, slug: "horeca", name: "HoReCa" },
      { id: 306, slug: "contabilitate-administrativ", name: "Contabilitate și administrativ" },
      { id: 307, slug: "medicina-farmacie", name: "Medicină și farmacie" },
    ],
  },
  {
    id: 4,
    slug: "electronice-electrocasnice",
    name: "Electronice și electrocasnice",
    children: [
      {
        id: 401,
        slug: "telefoane",
        name: "Telefoane",
        attributes: [
          { key: "brand", label: "Marcă", type: "ENUM", required: true, options: PHONE_BRANDS },
          { key: "storageGb", label: "Memorie internă", type: "INT", min: 1, max: 2048, unit: "GB" },
        ],
      },
      {
        id: 402,
        slug: "laptopuri-calculatoare",
        name: "Laptopuri și calculatoare",
        attributes: [
          { key: "brand", label: "Marcă", type: "ENUM", required: true, options: COMPUTER_BRANDS },
          { key: "ramGb", label: "Memorie RAM", type: "INT", min: 1, max: 512, unit: "GB" },
          { key: "storageGb", label: "Stocare", type: "INT", min: 16, max: 16_384, unit: "GB" },
        ],
      },
      {
        id: 403,
        slug: "tv-audio-video",
        name: "TV, audio, video",
        attributes: [
          {
            key: "deviceType",
            label: "Tip produs",
            type: "ENUM",
            required: true,
            options: opts(
              ["televizor", "Televizor"],
              ["soundbar", "Soundbar"],
              ["boxe", "Boxe"],
              ["amplificator", "Amplificator / receiver"],
              ["casti", "Căști"],
              ["videoproiector", "Videoproiector"],
            ),
          },
          { key: "screenSize", label: "Diagonală", type: "INT", min: 10, max: 120, unit: "inch" },
        ],
      },
      {
        id: 404,
        slug: "electrocasnice",
        name: "Electrocasnice",
        attributes: [
          {
            key: "applianceType",
            label: "Tip produs",
            type: "ENUM",
            required: true,
            options: opts(
              ["frigider", "Frigider / combină"],
              ["masina-spalat", "Mașină de spălat"],
              ["masina-vase", "Mașină de spălat vase"],
              ["aragaz-cuptor", "Aragaz / cuptor"],
              ["microunde", "Cuptor cu microunde"],
              ["aspirator", "Aspirator"],
              ["espressor", "Espressor"],
              ["aer-conditionat", "Aer condiționat"],
            ),
          },
          brandString(),
        ],
      },
      {
        id: 405,
        slug: "console-jocuri",
        name: "Console și jocuri",
        attributes: [
          {
            key: "platform",
            label: "Platformă",
            type: "ENUM",
            required: true,
            options: opts(
              ["playstation-5", "PlayStation 5"],
              ["playstation-4", "PlayStation 4"],
              ["xbox-series", "Xbox Series X|S"],
              ["xbox-one", "Xbox One"],
              ["nintendo-switch", "Nintendo Switch"],
              ["pc", "PC"],
            ),
          },
        ],
      },
      {
        id: 406,
        slug: "tablete",
        name: "Tablete",
        attributes: [
          { key: "brand", label: "Marcă", type: "ENUM", required: true, options: PHONE_BRANDS },
          { key: "storageGb", label: "Memorie internă", type: "INT", min: 1, max: 2048, unit: "GB" },
        ],
      },
    ],
  },
  {
    id: 5,
    slug: "moda-frumusete",
    name: "Modă și frumusețe",
    children: [
      {
        id: 501,
        slug: "imbracaminte",
        name: "Îmbrăcăminte",
        attributes: [
          { key: "size", label: "Mărime", type: "STRING", required: true, maxLength: 10 },
          { key: "gender", label: "Pentru", type: "ENUM", required: true, options: GENDER },
          brandString(),
        ],
      },
      {
        id: 502,
        slug: "incaltaminte",
        name: "Încălțăminte",
        attributes: [
          { key: "size", label: "Mărime", type: "STRING", required: true, maxLength: 10 },
          { key: "gender", label: "Pentru", type: "ENUM", required: true, options: GENDER },
          brandString(),
        ],
      },
      {
        id: 503,
        slug: "ceasuri-bijuterii",
        name: "Ceasuri și bijuterii",
        attributes: [
          { key: "gender", label: "Pentru", type: "ENUM", options: GENDER },
          brandString(),
        ],
      },
      { id: 504, slug: "cosmetice-parfumuri", name: "Cosmetice și parfumuri", attributes: [brandString()] },
      {
        id: 505,
        slug: "genti-accesorii",
        name: "Genți și accesorii",
        attributes: [{ key: "gender", label: "Pentru", type: "ENUM", options: GENDER }, brandString()],
      },
    ],
  },
  {
    id: 6,
    slug: "casa-gradina",
    name: "Casă și grădină",
    children: [
      {
        id: 601,
        slug: "mobila",
        name: "Mobilă",
        attributes: [
          {
            key: "room",
            label: "Cameră",
            type: "ENUM",
            options: opts(
              ["living", "Living"],
              ["dormitor", "Dormitor"],
              ["bucatarie", "Bucătărie"],
              ["birou", "Birou"],
              ["hol", "Hol"],
              ["baie", "Baie"],
            ),
          },
          { key: "material", label: "Material", type: "STRING", maxLength: 40 },
        ],
      },
      { id: 602, slug: "decoratiuni", name: "Decorațiuni" },
      { id: 603, slug: "gradina", name: "Grădină" },
      { id: 604, slug: "unelte-scule", name: "Unelte și scule", attributes: [brandString()] },
      { id: 605, slug: "materiale-constructii", name: "Materiale de construcții" },
    ],
  },
  {
    id: 7,
    slug: "mama-copilul",
    name: "Mama și copilul",
    children: [
      {
        id: 701,
        slug: "imbracaminte-copii",
        name: "Îmbrăcăminte și încălțăminte copii",
        attributes: [
          { key: "size", label: "Mărime", type: "STRING", required: true, maxLength: 10 },
          {
            key: "childGender",
            label: "Pentru",
            type: "ENUM",
            options: opts(["fete", "Fete"], ["baieti", "Băieți"], ["unisex", "Unisex"]),
          },
        ],
      },
      { id: 702, slug: "carucioare-scaune-auto", name: "Cărucioare și scaune auto", attributes: [brandString()] },
      {
        id: 703,
        slug: "jucarii",
        name: "Jucării",
        attributes: [{ key: "minAge", label: "Vârstă minimă", type: "INT", min: 0, max: 18, unit: "ani" }],
      },
      { id: 704, slug: "mobilier-copii", name: "Mobilier pentru copii" },
    ],
  },
  {
    id: 8,
    slug: "sport-timp-liber-arta",
    name: "Sport, timp liber, artă",
    children: [
      {
        id: 801,
        slug: "biciclete",
        name: "Biciclete",
        attributes: [
          {
            key: "bikeType",
            label: "Tip bicicletă",
            type: "ENUM",
            required: true,
            options: opts(
              ["mtb", "Mountain bike"],
              ["sosea", "Șosea"],
              ["trekking-oras", "Trekking / oraș"],
              ["electrica", "Electrică"],
              ["copii", "Copii"],
            ),
          },
          brandString(),
          { key: "wheelSize", label: "Dimensiune roți", type: "DECIMAL", min: 12, max: 29, unit: "inch" },
        ],
      },
      { id: 802, slug: "fitness", name: "Fitness și echipamente sportive", attributes: [brandString()] },
      { id: 803, slug: "camping-drumetii", name: "Camping și drumeții", attributes: [brandString()] },
      {
        id: 804,
        slug: "carti",
        name: "Cărți",
        attributes: [{ key: "author", label: "Autor", type: "STRING", maxLength: 80 }],
      },
      { id: 805, slug: "instrumente-muzicale", name: "Instrumente muzicale", attributes: [brandString()] },
      { id: 806, slug: "arta-antichitati", name: "Artă și antichități" },
    ],
  },
  {
    id: 9,
    slug: "animale-de-companie",
    name: "Animale de companie",
    children: [
      {
        id: 901,
        slug: "caini",
        name: "Câini",
        attributes: [
          { key: "breed", label: "Rasă", type: "STRING", required: true, maxLength: 40 },
          { key: "ageMonths", label: "Vârstă", type: "INT", min: 0, max: 240, unit: "luni" },
          { key: "vaccinated", label: "Vaccinat", type: "BOOLEAN" },
        ],
      },
      {
        id: 902,
        slug: "pisici",
        name: "Pisici",
        attributes: [
          { key: "breed", label: "Rasă", type: "STRING", required: true, maxLength: 40 },
          { key: "ageMonths", label: "Vârstă", type: "INT", min: 0, max: 300, unit: "luni" },
          { key: "vaccinated", label: "Vaccinat", type: "BOOLEAN" },
        ],
      },
      {
        id: 903,
        slug: "alte-animale",
        name: "Alte animale de companie",
        attributes: [
          { key: "species", label: "Specie", type: "STRING", required: true, maxLength: 40 },
          { key: "breed", label: "Rasă", type: "STRING", maxLength: 40 },
        ],
      },
      { id: 904, slug: "accesorii-animale", name: "Hrană și accesorii" },
    ],
  },
  {
    id: 10,
    slug: "agro-industrie",
    name: "Agro și industrie",
    children: [
      {
        id: 1001,
        slug: "utilaje-agricole",
        name: "Utilaje agricole",
        attributes: [
          brandString("Marcă", true),
          year("An fabricație", 1950, false),
          { key: "hours", label: "Ore de funcționare", type: "INT", min: 0, max: 100_000, unit: "ore" },
        ],
      },
      {
        id: 1002,
        slug: "animale-ferma",
        name: "Animale de fermă",
        attributes: [
          { key: "species", label: "Specie", type: "STRING", required: true, maxLength: 40 },
          { key: "breed", label: "Rasă", type: "STRING", maxLength: 40 },
        ],
      },
      { id: 1003, slug: "cereale-furaje", name: "Cereale, furaje și semințe" },
      { id: 1004, slug: "echipamente-industriale", name: "Echipamente industriale", attributes: [brandString()] },
    ],
  },
  {
    id: 11,
    slug: "servicii",
    name: "Servicii",
    children: [
      { id: 1101, slug: "constructii-renovari", name: "Construcții și renovări" },
      { id: 1102, slug: "service-auto", name: "Service și reparații auto" },
      { id: 1103, slug: "transport-mutari", name: "Transport și mutări" },
      {
        id: 1104,
        slug: "meditatii-cursuri",
        name: "Meditații și cursuri",
        attributes: [{ key: "subject", label: "Materie", type: "STRING", maxLength: 60 }],
      },
      { id: 1105, slug: "curatenie", name: "Curățenie" },
      { id: 1106, slug: "evenimente", name: "Evenimente și foto-video" },
    ],
  },
];
