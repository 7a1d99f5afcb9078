/**
 * A partner's place → our county code and city (lib/locations.ts): a county by code or by name ("CJ",
 * "Cluj", "jud. Cluj", "Județul Cluj"), a city of it as listings accept it; a city alone when only one
 * county has it; a free text ("Cluj-Napoca, jud. Cluj, România") read part by part.
 */
import { COUNTIES, type County, findCounty, normalizeCity } from "../../../lib/locations.ts";
import { type FeedItem, foldName, type Reason, reason } from "./manus-item.ts";

const COUNTY_WORDS = /^(?:judetul|judet|jud|municipiul|mun)\s+|\s+county$/;
const CITY_WORDS = /^(?:municipiul|mun|orasul|oras|or)\s+/;
const COUNTY_BY_NAME = new Map<string, County>([...COUNTIES.map((c) => [foldName(c.name), c] as const), ["bucharest", findCounty("B")!]]);
const COUNTRY = new Set(["romania", "ro", "rou"]);

export function readPlace(place: FeedItem["location"]): { county: string; city: string } | { problem: Reason } {
  const parts = [place.city, place.county, ...(place.text ?? "").split(/[,;|/]/)].map((p) => p?.trim()).filter((p): p is string => !!p && !COUNTRY.has(foldName(p)));
  if (parts.length === 0) return { problem: reason("city", "LOCATION_MISSING", "the item says nowhere where it is") };

  const county = (place.county && countyOf(place.county)) ?? parts.map(countyOf).find(Boolean);
  const cityCandidates = [place.city, ...parts].filter((p): p is string => !!p);
  if (county) {
    for (const candidate of cityCandidates) {
      const city = cityIn(county, candidate);
      if (city) return { county: county.code, city };
    }
    const named = place.city ?? parts.find((p) => countyOf(p) !== county);
    if (!named) return { problem: reason("city", "LOCATION_MISSING", `the item names the county (${county.name}) but no city`) };
    return { problem: reason("city", "CITY_NOT_FOUND", `"${named.slice(0, 64)}" is not a city of ${county.name} county that listings accept`) };
  }
  for (const candidate of cityCandidates) {
    const counties = COUNTIES.filter((c) => cityIn(c, candidate));
    if (counties.length === 1) return { county: counties[0]!.code, city: cityIn(counties[0]!, candidate)! };
    if (counties.length > 1) {
      return { problem: reason("county", "CITY_AMBIGUOUS", `"${candidate}" is a city of several counties (${counties.map((c) => c.code).join(", ")}) and the item names none`) };
    }
  }
  if (place.county) return { problem: reason("county", "COUNTY_NOT_FOUND", `"${place.county.slice(0, 64)}" is not a Romanian county`) };
  return { problem: reason("city", "CITY_NOT_FOUND", `"${parts.join(", ").slice(0, 64)}" names no city listings accept`) };
}

function countyOf(text: string): County | undefined {
  const byCode = /^[A-Za-z]{1,2}$/.test(text.trim()) ? findCounty(text) : undefined;
  return byCode ?? COUNTY_BY_NAME.get(foldName(text).replace(COUNTY_WORDS, ""));
}

/** The canonical city; București's sectors are București. */
function cityIn(county: County, text: string): string | undefined {
  const key = foldName(text).replace(CITY_WORDS, "");
  if (county.code === "B" && /^(?:bucuresti|bucharest)?\s*(?:sector(?:ul)?\s*[1-6])?$/.test(key) && key) return "București";
  return normalizeCity(county.code, key) ?? normalizeCity(county.code, text);
}
