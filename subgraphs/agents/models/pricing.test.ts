import { describe, expect, it } from "vitest";
import { quantile, rangeFrom, similar, type Comparable } from "./pricing.ts";

let next = 0;
const car = (priceRon: number, title: string, attributes: Record<string, unknown>, county = "B", city = "București"): Comparable => ({
  id: `c${next++}`,
  priceRon,
  title,
  attributes,
  county,
  city,
});

/** Loganes around Cluj and elsewhere, and other cars much dearer. */
const POOL: Comparable[] = [
  ...[20_000, 22_000, 24_000, 26_000, 28_000].map((p) => car(p, "Dacia Logan 2016, 140.000 km", { make: "dacia", year: 2016, km: 140_000 }, "CJ", "Cluj-Napoca")),
  ...[30_000, 32_000].map((p) => car(p, "Dacia Logan 2017 diesel", { make: "dacia", year: 2017, km: 120_000 }, "CJ", "Turda")),
  ...[40_000, 41_000, 42_000].map((p) => car(p, "Dacia Logan 2018", { make: "dacia", year: 2018, km: 90_000 }, "IS", "Iași")),
  ...[150_000, 160_000, 170_000, 180_000, 190_000, 200_000].map((p) => car(p, "BMW X5 2021 xDrive", { make: "bmw", year: 2021, km: 40_000 })),
];

describe("price estimates from comparables", () => {
  it("uses the strictest filters that leave five comparables: same city, similar title and attributes", () => {
    const estimate = rangeFrom(POOL, { categoryId: 101, title: "Dacia Logan 1.5 dCi", attributes: { make: "dacia", year: 2016, km: 150_000 }, county: "CJ", city: "Cluj-Napoca" });
    expect(estimate).toEqual({ low: 22_000, median: 24_000, high: 26_000, currency: "RON", basis: { comparables: 5, relaxed: [], scope: "CITY", categoryId: 101 } });
  });

  it("relaxes the city, then the county, then attributes, then the title, and says so", () => {
    const county = rangeFrom(POOL, { categoryId: 101, title: "Dacia Logan", attributes: { year: 2017 }, county: "CJ", city: "Turda" });
    expect(county?.basis).toMatchObject({ comparables: 7, relaxed: ["CITY"], scope: "COUNTY" });
    const country = rangeFrom(POOL, { categoryId: 101, title: "Dacia Logan", attributes: { year: 2018 }, county: "IS", city: "Iași" });
    // Iași has three 2018 Logans; the country adds the 2016–2017 ones within 2 years.
    expect(country?.basis).toMatchObject({ comparables: 10, relaxed: ["CITY", "COUNTY"], scope: "COUNTRY" });
    const titleOnly = rangeFrom(POOL, { categoryId: 101, title: "Dacia Logan", attributes: { year: 2024 } });
    expect(titleOnly?.basis).toMatchObject({ comparables: 10, relaxed: ["ATTRIBUTES"], scope: "COUNTRY" });
    const anything = rangeFrom(POOL, { categoryId: 101, title: "Trabant 601" });
    expect(anything?.basis).toMatchObject({ comparables: POOL.length, relaxed: ["TITLE"], scope: "COUNTRY" });
  });

  it("prices a BMW among BMWs, not among Logans", () => {
    const estimate = rangeFrom(POOL, { categoryId: 101, title: "BMW X5 xDrive 2020", attributes: { make: "bmw" } });
    expect(estimate).toMatchObject({ low: 162_500, median: 175_000, high: 187_500, basis: { comparables: 6, relaxed: [] } });
  });

  it("keeps what it found when even every filter relaxed leaves fewer than five, and nothing from nothing", () => {
    expect(rangeFrom(POOL.slice(0, 2), { categoryId: 101, title: "Dacia Logan", county: "CJ" })?.basis).toMatchObject({ comparables: 2, relaxed: ["COUNTY", "TITLE"] });
    expect(rangeFrom([], { categoryId: 101 })).toBeNull();
  });

  it("compares attribute values the way prices differ", () => {
    expect(similar("year", 2016, 2018)).toBe(true);
    expect(similar("year", 2016, 2019)).toBe(false);
    expect(similar("rooms", 2, 3)).toBe(false);
    expect(similar("km", 100_000, 125_000)).toBe(true);
    expect(similar("km", 100_000, 150_000)).toBe(false);
    expect(similar("make", "Dacia", "dacia")).toBe(true);
    expect(similar("fuel", "diesel", 3)).toBe(false);
  });

  it("interpolates percentiles between ranks", () => {
    expect(quantile([10, 20, 30, 40], 0.25)).toBe(17.5);
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([7], 0.75)).toBe(7);
  });
});
