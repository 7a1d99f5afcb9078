import { describe, expect, it } from "vitest";
import { CategoryIndex, type CategoryRow } from "./manus-catalog.ts";
import type { FeedItem, ReasonCode } from "./manus-item.ts";
import { mapItem } from "./manus-map.ts";
import { readPlace } from "./manus-places.ts";
import { parseNumber, readPrice } from "./manus-price.ts";

/** A slice of the catalog as the Category table holds it (own attributes only; children inherit). */
const ROWS: CategoryRow[] = [
  { id: 1, slug: "auto-moto-ambarcatiuni", name: "Auto, moto și ambarcațiuni", parentId: null, attributes: [] },
  {
    id: 101,
    slug: "autoturisme",
    name: "Autoturisme",
    parentId: 1,
    attributes: [
      { key: "make", label: "Marcă", type: "ENUM", required: true, options: [{ value: "dacia", label: "Dacia" }, { value: "mercedes-benz", label: "Mercedes-Benz" }] },
      { key: "model", label: "Model", type: "STRING", required: true },
      { key: "year", label: "An fabricație", type: "INT" },
      { key: "km", label: "Rulaj", type: "INT" },
      { key: "fuel", label: "Combustibil", type: "ENUM", required: true, options: [{ value: "benzina", label: "Benzină" }, { value: "diesel", label: "Diesel" }] },
    ],
  },
  { id: 4, slug: "electronice-electrocasnice", name: "Electronice și electrocasnice", parentId: null, attributes: [] },
  { id: 401, slug: "telefoane", name: "Telefoane", parentId: 4, attributes: [{ key: "brand", label: "Marcă", type: "ENUM", required: true, options: [{ value: "apple", label: "Apple" }, { value: "samsung", label: "Samsung" }] }, { key: "storageGb", label: "Memorie internă", type: "INT" }] },
  { id: 402, slug: "laptopuri-calculatoare", name: "Laptopuri și calculatoare", parentId: 4, attributes: [] },
  { id: 8, slug: "sport-timp-liber-arta", name: "Sport, timp liber, artă", parentId: null, attributes: [] },
  { id: 801, slug: "biciclete", name: "Biciclete", parentId: 8, attributes: [{ key: "electric", label: "Electrică", type: "BOOLEAN" }] },
];
const categories = new CategoryIndex(ROWS);
const SELLER = "7d3f1c2a-9b8e-4f6d-a5c4-3b2a1f0e9d8c";
const URL_ = "https://partner.example/feed.json";

const item = (over: Partial<FeedItem> = {}): FeedItem => ({
  ref: "items[0]",
  id: "B-1",
  title: "Bicicletă de oraș Pegas, roți 28",
  description: "Bicicletă Pegas în stare foarte bună, folosită un sezon, cu lumini și coș.",
  price: { amount: "1.250 lei" },
  category: ["Sport", "Biciclete"],
  location: { text: "Cluj-Napoca, jud. Cluj, România" },
  condition: "folosit",
  images: ["https://cdn.example/1.jpg"],
  attributes: { Electrică: "nu" },
  ...over,
});

const reasonsOf = (over: Partial<FeedItem>): ReasonCode[] => {
  const mapped = mapItem(item(over), URL_, SELLER, categories);
  return "reasons" in mapped ? mapped.reasons.map((r) => r.reason) : [];
};

describe("mapItem", () => {
  it("maps a complete item to a CreateListingInput-shaped draft with its source and an idempotency key", () => {
    const mapped = mapItem(item(), URL_, SELLER, categories);
    expect(mapped).toEqual({
      draft: {
        input: {
          categoryId: "801",
          title: "Bicicletă de oraș Pegas, roți 28",
          description: "Bicicletă Pegas în stare foarte bună, folosită un sezon, cu lumini și coș.",
          price: { amount: 125_000, currency: "RON" },
          condition: "USED",
          county: "CJ",
          city: "Cluj-Napoca",
          attributes: { electric: false },
        },
        idempotencyKey: expect.stringMatching(/^manus-[0-9a-f]{40}$/),
        source: { url: URL_, ref: "items[0]", id: "B-1" },
        images: ["https://cdn.example/1.jpg"],
        notes: [],
      },
    });
    // The same item of the same feed for the same seller: the same key; another seller: another.
    const again = mapItem(item({ ref: "items[7]" }), URL_, SELLER, categories);
    const other = mapItem(item(), URL_, "00000000-0000-4000-8000-000000000000", categories);
    if (!("draft" in mapped && "draft" in again && "draft" in other)) throw new Error("expected drafts");
    expect(again.draft.idempotencyKey).toBe(mapped.draft.idempotencyKey);
    expect(other.draft.idempotencyKey).not.toBe(mapped.draft.idempotencyKey);
  });

  it("maps a car with its required attributes from JSON-LD names and aliases", () => {
    const mapped = mapItem(
      item({
        title: "Dacia Logan 1.5 dCi 2016",
        category: ["Autoturisme"],
        price: { amount: 5900, currency: "EUR" },
        condition: "https://schema.org/UsedCondition",
        attributes: { brand: "Dacia", model: "Logan", fuelType: "Diesel", vehicleModelDate: "2016", mileageFromOdometer: "148.000 km" },
      }),
      URL_,
      SELLER,
      categories,
    );
    expect(mapped).toMatchObject({
      draft: { input: { categoryId: "101", price: { amount: 590_000, currency: "EUR" }, condition: "USED", attributes: { make: "dacia", model: "Logan", fuel: "diesel", year: 2016, km: 148_000 } } },
    });
  });

  it("gives every reason an item cannot be mapped, at once", () => {
    const mapped = mapItem({ ref: "items[3]", category: [], location: {}, images: [], attributes: {} }, URL_, SELLER, categories);
    expect(mapped).toEqual({
      reasons: [
        { field: "title", reason: "TITLE_MISSING", message: "the item has no title or name" },
        { field: "description", reason: "DESCRIPTION_MISSING", message: "the item has no description" },
        { field: "price", reason: "PRICE_MISSING", message: "the item has no price" },
        { field: "categoryId", reason: "CATEGORY_MISSING", message: "the item names no category" },
        { field: "city", reason: "LOCATION_MISSING", message: "the item says nowhere where it is" },
      ],
    });
  });

  it.each<[string, Partial<FeedItem>, ReasonCode[]]>([
    ["an unknown category", { category: ["Gadgeturi", "Diverse"] }, ["CATEGORY_NOT_FOUND"]],
    ["a category with subcategories", { category: ["Electronice și electrocasnice"] }, ["CATEGORY_NOT_LEAF"]],
    ["a price in dollars", { price: { amount: 300, currency: "USD" } }, ["CURRENCY_UNSUPPORTED"]],
    ["a price without currency", { price: { amount: 300 } }, ["CURRENCY_MISSING"]],
    ["a price that is not one", { price: { amount: "la cerere" } }, ["PRICE_INVALID"]],
    ["a price too large for MoneyInput", { price: { amount: 30_000_000, currency: "EUR" } }, ["PRICE_TOO_LARGE"]],
    ["a village listings do not accept", { location: { city: "Florești", county: "Cluj" } }, ["CITY_NOT_FOUND"]],
    ["a county that is not one", { location: { county: "Transilvania", city: "Nicăieri" } }, ["COUNTY_NOT_FOUND"]],
    ["a city of two counties, no county", { location: { city: "Ștefănești" } }, ["CITY_AMBIGUOUS"]],
    ["a county without a city", { location: { county: "jud. Cluj" } }, ["LOCATION_MISSING"]],
    ["a phone without its brand", { category: ["Telefoane"], attributes: {} }, ["ATTRIBUTE_REQUIRED"]],
    ["a phone of a brand we do not list", { category: ["Telefoane"], attributes: { brand: "Nokia" } }, ["ATTRIBUTE_INVALID"]],
    ["a car without make, model and fuel", { category: ["Autoturisme"], attributes: { year: 2010 } }, ["ATTRIBUTE_REQUIRED", "ATTRIBUTE_REQUIRED", "ATTRIBUTE_REQUIRED"]],
  ])("refuses %s", (_, over, expected) => {
    expect(reasonsOf(over)).toEqual(expected);
  });

  it("says which category and why in the reason's message", () => {
    const mapped = mapItem(item({ category: ["Electronice și electrocasnice"] }), URL_, SELLER, categories);
    expect(mapped).toEqual({
      reasons: [
        {
          field: "categoryId",
          reason: "CATEGORY_NOT_LEAF",
          message: '"Electronice și electrocasnice" has subcategories (Telefoane, Laptopuri și calculatoare): a listing goes in one of them',
        },
      ],
    });
  });

  it("keeps a draft but notes what it left out", () => {
    const mapped = mapItem(item({ condition: "de colecție", images: Array.from({ length: 25 }, (_, i) => `https://cdn.example/${i}.jpg`), attributes: { electric: "poate" } }), URL_, SELLER, categories);
    if (!("draft" in mapped)) throw new Error("expected a draft");
    expect(mapped.draft.input).not.toHaveProperty("condition");
    expect(mapped.draft.input).not.toHaveProperty("attributes");
    expect(mapped.draft.images).toHaveLength(20);
    expect(mapped.draft.notes.map((n) => n.reason)).toEqual(["ATTRIBUTE_INVALID", "CONDITION_UNKNOWN", "IMAGES_DROPPED"]);
  });

  it("matches categories by name or slug, without regard to case, diacritics or '&'", () => {
    for (const category of [["telefoane"], ["LAPTOPURI SI CALCULATOARE"], ["Laptopuri & calculatoare"], ["laptopuri-calculatoare"], ["Electronice", "Telefoane", "Gadgeturi noi"]]) {
      expect("category" in categories.match(category), category.join(" > ")).toBe(true);
    }
  });

  it("reads conditions in English, Romanian and schema.org", () => {
    const condition = (text: string) => {
      const mapped = mapItem(item({ condition: text }), URL_, SELLER, categories);
      return "draft" in mapped ? mapped.draft.input.condition : undefined;
    };
    expect(["new", "Nou", "NewCondition", "https://schema.org/NewCondition", "sigilat"].map(condition)).toEqual(["NEW", "NEW", "NEW", "NEW", "NEW"]);
    expect(["used", "Folosită", "second hand", "https://schema.org/UsedCondition", "Ca nou", "like new"].map(condition)).toEqual(["USED", "USED", "USED", "USED", "USED", "USED"]);
    expect(["refurbished", "Recondiționat", "https://schema.org/RefurbishedCondition"].map(condition)).toEqual(["REFURBISHED", "REFURBISHED", "REFURBISHED"]);
  });
});

describe("readPrice", () => {
  it.each([
    [{ amount: 1250 }, "RON", { amount: 125_000, currency: "RON" }],
    [{ amount: "1.250,50 lei" }, undefined, { amount: 125_050, currency: "RON" }],
    [{ amount: "€ 8.900" }, undefined, { amount: 890_000, currency: "EUR" }],
    [{ amount: "1,250.50", currency: "EUR" }, undefined, { amount: 125_050, currency: "EUR" }],
    [{ amount: "99,9", currency: "RON" }, undefined, { amount: 9_990, currency: "RON" }],
    [{ amount: "3200.00", currency: "ron" }, undefined, { amount: 320_000, currency: "RON" }],
    [{ amount: "1 250 000 EUR" }, undefined, { amount: 125_000_000, currency: "EUR" }],
    [{ amount: 0, currency: "LEI" }, undefined, { amount: 0, currency: "RON" }],
  ])("%j → %j", (price, currency, money) => {
    expect(readPrice(currency ? { ...price, currency } : price)).toEqual({ money });
  });

  it("parses numbers written either way", () => {
    expect(["1.250", "1,250", "1.250.000", "1.250,5", "12,5", "12.50", "7"].map(parseNumber)).toEqual([1250, 1250, 1_250_000, 1250.5, 12.5, 12.5, 7]);
    expect(parseNumber("gratis")).toBeUndefined();
  });
});

describe("readPlace", () => {
  it.each([
    [{ city: "Cluj-Napoca", county: "CJ" }, { county: "CJ", city: "Cluj-Napoca" }],
    [{ city: "cluj napoca", county: "Cluj" }, { county: "CJ", city: "Cluj-Napoca" }],
    [{ city: "Iasi", county: "Județul Iași" }, { county: "IS", city: "Iași" }],
    [{ city: "Timișoara" }, { county: "TM", city: "Timișoara" }],
    [{ text: "Brașov, jud. Brașov, România" }, { county: "BV", city: "Brașov" }],
    [{ text: "Sector 3, București" }, { county: "B", city: "București" }],
    [{ text: "Bucharest" }, { county: "B", city: "București" }],
    [{ city: "Municipiul Oradea", county: "Bihor" }, { county: "BH", city: "Oradea" }],
  ])("%j → %j", (place, expected) => {
    expect(readPlace(place)).toEqual(expected);
  });
});
