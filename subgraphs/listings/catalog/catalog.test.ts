import { describe, expect, it } from "vitest";
import { COUNTIES } from "../../../lib/locations.ts";
import { attributeValueLabel, validateAttributes } from "./attributes.ts";
import { Catalog } from "./catalog.ts";

const catalog = new Catalog();

describe("the catalog", () => {
  it("has unique ids and slugs, ASCII slugs and Romanian names", () => {
    const all = catalog.all();
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    expect(new Set(all.map((c) => c.slug)).size).toBe(all.length);
    for (const c of all) expect(c.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(catalog.roots.map((c) => c.name)).toEqual(expect.arrayContaining(["Imobiliare", "Animale de companie"]));
    expect(all.some((c) => /[șț]/.test(c.name))).toBe(true);
    expect(all.some((c) => /[şţ]/.test(c.name))).toBe(false); // cedilla forms are wrong in Romanian
  });

  it("walks the tree: path, subtree and inherited attributes", () => {
    const cars = catalog.getBySlug("autoturisme")!;
    expect(catalog.path(cars).map((c) => c.id)).toEqual([cars.parentId, cars.id]);
    const root = catalog.get(cars.parentId!)!;
    expect(catalog.subtreeIds(root)).toContain(cars.id);
    expect(catalog.isLeaf(cars)).toBe(true);
    expect(catalog.isLeaf(root)).toBe(false);
    expect(catalog.attributesOf(cars).map((a) => a.key)).toEqual(expect.arrayContaining(["make", "model", "year", "km", "fuel"]));
  });

  it("has unique attribute keys within every category's inherited set", () => {
    for (const c of catalog.all()) {
      const keys = catalog.attributesOf(c).map((a) => a.key);
      expect(new Set(keys).size, c.slug).toBe(keys.length);
    }
  });
});

describe("attribute validation", () => {
  const defs = catalog.attributesOf(catalog.getBySlug("autoturisme")!);
  const valid = { make: "dacia", model: "Logan", year: 2016, km: 148_000, fuel: "diesel" };

  it("accepts valid values and trims strings", () => {
    const { values, issues } = validateAttributes(defs, { ...valid, model: "  Logan " });
    expect(issues).toEqual([]);
    expect(values.model).toBe("Logan");
  });

  it("reports every problem with its field", () => {
    const { issues } = validateAttributes(defs, { make: "nope", year: "2016", km: -1, extra: true });
    expect(issues.map((i) => i.field).sort()).toEqual(
      ["attributes.extra", "attributes.fuel", "attributes.km", "attributes.make", "attributes.model", "attributes.year"].sort(),
    );
  });

  it("labels values for display: years unseparated, large numbers grouped, options by label", () => {
    const def = (key: string) => defs.find((d) => d.key === key)!;
    expect(attributeValueLabel(def("year"), 2016)).toBe("2016");
    expect(attributeValueLabel(def("km"), 148_000)).toBe("148.000");
    expect(attributeValueLabel(def("fuel"), "diesel")).toBe("Diesel");
  });

  it("refuses non-object input", () => {
    expect(validateAttributes(defs, [1, 2]).issues[0]!.field).toBe("attributes");
    expect(validateAttributes(defs, "x").issues[0]!.field).toBe("attributes");
  });
});

describe("locations", () => {
  it("has the 41 counties and București, with unique codes and cities", () => {
    expect(COUNTIES).toHaveLength(42);
    expect(new Set(COUNTIES.map((c) => c.code)).size).toBe(42);
    for (const county of COUNTIES) expect(county.cities.length, county.name).toBeGreaterThanOrEqual(1);
  });
});
