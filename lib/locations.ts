/**
 * Romanian counties (41 județe + Municipiul București) with their official vehicle-registration /
 * ISO 3166-2:RO codes, and the urban localities of each county: every municipiu (listed first, the
 * county seat at index 0) and every oraș. Ilfov and Giurgiu also list a few large communes that are
 * common listing locations (Ilfov has no municipiu; Giurgiu has only three urban localities).
 *
 * Names use Romanian diacritics with comma below (ș, ț), never the legacy cedilla forms (ş, ţ).
 * București is a single city here: its sectors are not cities.
 */

import { badInput } from "./errors.ts";

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

/** The county with this code, or BAD_USER_INPUT on `fieldPrefix` + "county". */
export function requireCounty(code: string, fieldPrefix = ""): County {
  const county = findCounty(code);
  if (!county) throw badInput(`Județul „${code}” nu există.`, `${fieldPrefix}county`);
  return county;
}

/**
 * A county code and a city checked together, as every location input is: the canonical county and
 * city, or BAD_USER_INPUT naming the field that is wrong (`fieldPrefix` + "county" / "city").
 */
export function requireLocation(code: string, city: string, fieldPrefix = ""): LocationRef {
  const county = requireCounty(code, fieldPrefix);
  const canonical = normalizeCity(county.code, city);
  if (!canonical) throw badInput(`Orașul „${city}” nu există în județul ${county.name}.`, `${fieldPrefix}city`);
  return { county, city: canonical };
}

/** A Location as resolvers pass it on: the county already looked up. */
export interface LocationRef {
  county: County;
  city: string;
}
