import { describe, expect, it } from "vitest";
import { COUNTIES } from "../locations.ts";
import { citiesWithin, cityCoordinates, distanceKm, type LatLon } from "./cities.ts";

const at = (county: string, city: string): LatLon => {
  const found = cityCoordinates(county, city);
  if (!found) throw new Error(`no coordinates for ${county} ${city}`);
  return found;
};

describe("city coordinates", () => {
  it("places every city of COUNTIES inside Romania", () => {
    const all = COUNTIES.flatMap((county) => county.cities.map((city) => ({ county: county.code, city, at: cityCoordinates(county.code, city) })));
    expect(all.length).toBeGreaterThan(300);
    const outside = all.filter(({ at }) => !at || at.lat < 43.6 || at.lat > 48.3 || at.lon < 20.2 || at.lon > 29.8);
    expect(outside).toEqual([]);
  });

  it("keeps county seats apart (a wrong GeoNames admin-code map would put two at one place)", () => {
    const seats = COUNTIES.map((county) => at(county.code, county.cities[0]!));
    // The closest pairs are real: București–Voluntari (Ilfov's first city) 9 km, Brăila–Galați 19 km.
    for (const [i, a] of seats.entries()) {
      for (const b of seats.slice(i + 1)) expect(distanceKm(a, b)).toBeGreaterThan(5);
    }
  });

  it("matches county codes and city names the way listings do", () => {
    expect(cityCoordinates(" cj ", "cluj napoca")).toEqual(at("CJ", "Cluj-Napoca"));
    expect(cityCoordinates("CJ", "Iași")).toBeUndefined();
    expect(cityCoordinates("XX", "Cluj-Napoca")).toBeUndefined();
  });
});

describe("distanceKm", () => {
  it("gives known distances", () => {
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(111.195, 3);
    // Florești is a commune, not a listed city: its GeoNames point.
    expect(distanceKm(at("CJ", "Cluj-Napoca"), { lat: 46.7457, lon: 23.4938 })).toBeGreaterThan(7);
    expect(distanceKm(at("CJ", "Cluj-Napoca"), { lat: 46.7457, lon: 23.4938 })).toBeLessThan(13);
    expect(Math.abs(distanceKm(at("B", "București"), at("PH", "Ploiești")) - 56)).toBeLessThan(5);
    expect(Math.abs(distanceKm(at("CJ", "Cluj-Napoca"), at("IS", "Iași")) - 317)).toBeLessThan(15);
  });
});

describe("citiesWithin", () => {
  it("finds the cities near Cluj-Napoca, nearest first", () => {
    const near = citiesWithin(at("CJ", "Cluj-Napoca"), 30);
    expect(near.map((c) => `${c.county} ${c.city}`)).toEqual(["CJ Cluj-Napoca", "CJ Turda"]);
    expect(near[0]!.km).toBe(0);
    expect(near[1]!.km).toBeGreaterThan(20);
    // Just outside: Câmpia Turzii ≈ 32 km, Gherla ≈ 38 km.
    expect(distanceKm(at("CJ", "Cluj-Napoca"), at("CJ", "Câmpia Turzii"))).toBeGreaterThan(30);
    expect(citiesWithin(at("CJ", "Cluj-Napoca"), 40).map((c) => c.city)).toEqual(["Cluj-Napoca", "Turda", "Câmpia Turzii", "Gherla"]);
  });

  it("covers every city within a radius the size of the country, nearest first", () => {
    const all = citiesWithin(at("B", "București"), 1000);
    expect(all.length).toBe(COUNTIES.reduce((n, c) => n + c.cities.length, 0));
    for (const [i, c] of all.slice(1).entries()) expect(c.km).toBeGreaterThanOrEqual(all[i]!.km);
  });
});
