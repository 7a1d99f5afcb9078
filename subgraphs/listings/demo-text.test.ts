import { describe, expect, it } from "vitest";
import { COUNTIES } from "../../lib/locations.ts";
import { mulberry32 } from "../../prisma/seed/demo-text.ts";
import { validateAttributes } from "./catalog/attributes.ts";
import { Catalog } from "./catalog/catalog.ts";
import { generateListing } from "./demo-text.ts";
import { description, title } from "./listing-rules.ts";

const catalog = new Catalog();
const leaves = catalog.all().filter((c) => catalog.isLeaf(c));

function generate(seed: number, count: number) {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => {
    const category = leaves[i % leaves.length]!;
    const county = COUNTIES[i % COUNTIES.length]!;
    const city = county.cities[i % county.cities.length]!;
    return { category, listing: generateListing(rng, category, catalog.attributesOf(category), { countyName: county.name, city }) };
  });
}

describe("demo listings", () => {
  const generated = generate(7, 3000);

  it("pass the marketplace's own input rules, in every leaf category", () => {
    for (const { category, listing } of generated) {
      expect(title.safeParse(listing.title).success, `${category.slug}: ${listing.title}`).toBe(true);
      expect(description.safeParse(listing.description).success, `${category.slug}: ${listing.description}`).toBe(true);
      expect(validateAttributes(catalog.attributesOf(category), listing.attributes).issues, category.slug).toEqual([]);
      expect(Number.isInteger(listing.priceAmount) && listing.priceAmount >= 0).toBe(true);
    }
  });

  it("never contain a digit run that could be a phone number, nor e-mail addresses", () => {
    for (const { listing } of generated) {
      const text = `${listing.title} ${listing.description}`;
      expect(text).not.toMatch(/\d{6,}/);
      expect(text).not.toMatch(/@/);
    }
  });

  it("are varied and Romanian", () => {
    const titles = new Set(generated.map((g) => g.listing.title));
    expect(titles.size).toBeGreaterThan(1500);
    expect(generated.filter((g) => /[ăâîșț]/.test(g.listing.description)).length).toBeGreaterThan(2900);
  });

  it("are deterministic for a seed", () => {
    expect(generate(42, 50)).toEqual(generate(42, 50));
  });
});
