/**
 * Search through the public gateway on a hand-made set of Romanian listings: the language (stemming,
 * diacritics both ways, cedilla forms, typos and diminutives, phrases, exclusions), every filter and
 * sort, facets, pagination, highlights, suggestions, freshness after edits, and bad input.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { codes, type GraphQLResponse } from "./utils/client.ts";
import { createListing, signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const SEARCH = /* GraphQL */ `
  query ($query: String, $filter: SearchFilter, $sort: SearchSort, $first: Int, $after: String) {
    search(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { score highlight distanceKm listing { id title publishedAt price { amount currency } location { city } } } }
    }
  }
`;
const FACETS = /* GraphQL */ `
  query ($query: String, $filter: SearchFilter) {
    search(query: $query, filter: $filter, first: 1) {
      totalCount
      facets {
        categories { category { id name parent { id } } count }
        counties { county { code name } count }
        cities { county { code } city count }
        conditions { condition count }
        priceRanges { min max count }
      }
    }
  }
`;
const SUGGEST = `query ($prefix: String!, $first: Int) { suggest(prefix: $prefix, first: $first) { text category { id name } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { id title } }`;
const SOLD = `mutation ($id: ID!) { markListingSold(id: $id) { id status } }`;
const DELETE = `mutation ($id: ID!) { deleteListing(id: $id) { id status } }`;

const FILLER = " Se poate vedea oricând în weekend, predare personală, prețul se discută la fața locului.";

interface Item {
  key: string;
  title: string;
  categoryId: string;
  attributes: Record<string, unknown>;
  lei?: number;
  eur?: number;
  county?: string;
  city?: string;
  condition?: "NEW" | "USED" | "REFURBISHED";
  description?: string;
}

const ITEMS: Item[] = [
  { key: "mtb", title: "Bicicletă MTB Rockrider 27.5 aproape nouă", categoryId: "801", attributes: { bikeType: "mtb", wheelSize: 27.5 }, lei: 1_200 },
  { key: "kids-bikes", title: "Biciclete pentru copii, două bucăți, roți 20", categoryId: "801", attributes: { bikeType: "trekking-oras" }, lei: 600, county: "B", city: "București" },
  { key: "city-bike", title: "Bicicleta de oras Pegas cu cos si far", categoryId: "801", attributes: { bikeType: "trekking-oras" }, lei: 900, county: "IS", city: "Iași" },
  { key: "tiny-bike", title: "Bicicletuță pentru cei mici cu roți ajutătoare", categoryId: "801", attributes: { bikeType: "trekking-oras" }, lei: 150, city: "Turda", condition: "NEW" },
  { key: "gherla-bike", title: "Cursieră de șosea din aluminiu, 18 viteze", categoryId: "801", attributes: { bikeType: "sosea" }, lei: 2_500, city: "Gherla" },
  { key: "logan", title: "Dacia Logan 1.5 dCi 2016, unic proprietar", categoryId: "101", attributes: { make: "dacia", model: "Logan", year: 2016, km: 148_000, fuel: "diesel" }, eur: 4_500 },
  { key: "logan-damaged", title: "Dacia Logan MCV 2012 avariat în față", categoryId: "101", attributes: { make: "dacia", model: "Logan MCV", year: 2012, km: 210_000, fuel: "benzina" }, eur: 1_500, county: "B", city: "București" },
  { key: "sandero", title: "Dacia Sandero Stepway 2019, benzină, garanție", categoryId: "101", attributes: { make: "dacia", model: "Sandero", year: 2019, km: 60_000, fuel: "benzina" }, eur: 9_800, city: "Turda" },
  { key: "golf", title: "Volkswagen Golf 7 din 2015, motor diesel", categoryId: "101", attributes: { make: "volkswagen", model: "Golf", year: 2015, km: 180_000, fuel: "diesel" }, eur: 8_900 },
  { key: "car-laureate", title: "Mașină Dacia Logan Laureate 2018 impecabilă", categoryId: "101", attributes: { make: "dacia", model: "Logan", year: 2018, km: 95_000, fuel: "diesel" }, eur: 7_200, county: "IS", city: "Iași" },
  { key: "washer", title: "Mașină de spălat rufe Bosch, 7 kg", categoryId: "404", attributes: { applianceType: "masina-spalat" }, lei: 700 },
  { key: "iphone", title: "Telefon iPhone 13 Pro 256 GB, baterie 90%", categoryId: "401", attributes: { brand: "apple", storageGb: 256 }, lei: 3_100, condition: "USED" },
  { key: "tiny-phone", title: "Telefonaș Nokia pentru bunici, taste mari", categoryId: "401", attributes: { brand: "nokia" }, lei: 120, condition: "NEW" },
  { key: "galaxy", title: "Samsung Galaxy S21, telefon în stare bună", categoryId: "401", attributes: { brand: "samsung", storageGb: 128 }, lei: 1_600, condition: "REFURBISHED" },
  { key: "flat-cluj", title: "Apartament 2 camere decomandat în Mănăștur", categoryId: "201", attributes: { rooms: 2, area: 52 }, eur: 125_000 },
  { key: "flat-iasi", title: "Apartament 3 camere de vânzare în Copou", categoryId: "201", attributes: { rooms: 3, area: 74 }, eur: 142_000, county: "IS", city: "Iași" },
  { key: "studio", title: "Garsonieră de închiriat lângă Universitate", categoryId: "202", attributes: { rooms: 1, area: 30, furnished: true }, eur: 350, county: "B", city: "București" },
  { key: "schoolbag", title: "Ghiozdan de școală pentru clasa întâi, nou", categoryId: "505", attributes: { gender: "unisex" }, lei: 180, condition: "NEW" },
  {
    key: "sofa",
    title: "Canapea extensibilă din piele, trei locuri",
    categoryId: "601",
    attributes: {},
    lei: 1_900,
    description: "Canapea comodă & încăpătoare, ideală pentru o sufragerie mare; se desface ușor în pat dublu pentru oaspeți.",
  },
  { key: "table", title: "Masă de sufragerie din lemn masiv cu șase scaune", categoryId: "601", attributes: {}, lei: 2_400 },
  { key: "book", title: "Carte Harry Potter și Piatra Filozofală, cartonată", categoryId: "804", attributes: {}, lei: 45 },
  { key: "puppies", title: "Pui de ciobănesc german, vaccinați și deparazitați", categoryId: "901", attributes: { breed: "Ciobănesc german", vaccinated: true }, lei: 1_000 },
  { key: "kitten", title: "Pisicuță europeană gri caută familie iubitoare", categoryId: "902", attributes: { breed: "Europeană", vaccinated: false }, lei: 0 },
  { key: "drill", title: "Bormașină Bosch cu percuție și acumulator", categoryId: "604", attributes: {}, lei: 350 },
  { key: "tv", title: "Televizor Samsung 55 inch 4K Smart TV", categoryId: "403", attributes: { deviceType: "televizor", screenSize: 55 }, lei: 2_200, county: "B", city: "București" },
];

describeStack("search", () => {
  let stack: Stack;
  let seller: TestUser;
  let otherSeller: TestUser;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startStack();
    [seller, otherSeller] = await Promise.all([signUp(stack, "Vasile Vânzătorul"), signUp(stack, "Elena Negustoreasa")]);
    for (const [i, item] of ITEMS.entries()) id[item.key] = await createListing(stack, i % 4 === 3 ? otherSeller : seller, input(item));
  });
  afterAll(() => stack?.stop());

  function input(item: Item) {
    return {
      categoryId: item.categoryId,
      title: item.title,
      description: item.description ?? `${item.title}. Produs verificat, descriere completă la cerere.${FILLER}`,
      price: item.eur !== undefined ? { amount: item.eur * 100, currency: "EUR" } : { amount: item.lei! * 100, currency: "RON" },
      county: item.county ?? "CJ",
      city: item.city ?? "Cluj-Napoca",
      condition: item.condition ?? "USED",
      attributes: item.attributes,
    };
  }

  const search = async (variables: Record<string, unknown>, token?: string) => {
    const r = await stack.request(SEARCH, { first: 100, ...variables }, token ? { token } : {});
    expect(r.errors).toBeUndefined();
    return r.data.search as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
      edges: { cursor: string; node: { score: number | null; highlight: string | null; distanceKm: number | null; listing: { id: string; title: string; publishedAt: string; price: { amount: number; currency: string }; location: { city: string } } } }[];
    };
  };
  const keysOf = async (variables: Record<string, unknown>) => {
    const found = await search(variables);
    const byId = new Map(Object.entries(id).map(([k, v]) => [v, k]));
    return found.edges.map((e) => byId.get(e.node.listing.id) ?? e.node.listing.id);
  };
  const refused = async (variables: Record<string, unknown>) => {
    const r: GraphQLResponse = await stack.request(SEARCH, variables);
    expect(r.data ?? null).toBeNull();
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
    return (r.errors![0]!.extensions!.fields ?? []) as { field: string; reason: string }[];
  };

  it("stems Romanian: bicicletă, biciclete and bicicleta find each other", async () => {
    for (const query of ["biciclete", "bicicletă", "bicicleta", "BICICLETELE"]) {
      const found = await keysOf({ query });
      expect(found, query).toEqual(expect.arrayContaining(["mtb", "kids-bikes", "city-bike"]));
      expect(found, query).not.toContain("logan");
    }
  });

  it("ignores diacritics both ways, and reads the cedilla forms ş ţ as ș ț", async () => {
    const plain = await keysOf({ query: "masina" });
    expect(plain).toEqual(expect.arrayContaining(["washer", "car-laureate"]));
    expect(await keysOf({ query: "mașină" })).toEqual(expect.arrayContaining(["washer", "car-laureate"]));
    // The title "Bicicleta de oras ... cos" has no diacritics; the query has them.
    expect(await keysOf({ query: "bicicletă de oraș cu coș" })).toContain("city-bike");
    expect(await keysOf({ query: "ghiozdan şcoală" })).toEqual(["schoolbag"]);
    expect(await keysOf({ query: "ghiozdan școală" })).toEqual(["schoolbag"]);
    expect(await keysOf({ query: "vaccinaţi" })).toEqual(["puppies"]);
  });

  it("finds typos and near-spellings, ranked below exact matches", async () => {
    expect(await keysOf({ query: "bicicleat" })).toEqual(expect.arrayContaining(["mtb", "kids-bikes", "city-bike"]));
    expect(await keysOf({ query: "aparatment" })).toEqual(expect.arrayContaining(["flat-cluj", "flat-iasi"]));
    expect(await keysOf({ query: "televizro samsung" })).toEqual(["tv"]);

    const phones = await keysOf({ query: "telefon" });
    expect(phones).toEqual(expect.arrayContaining(["iphone", "galaxy", "tiny-phone"]));
    expect(phones.indexOf("tiny-phone")).toBeGreaterThan(Math.max(phones.indexOf("iphone"), phones.indexOf("galaxy")));
    // A diminutive the stemmer does not join with its word.
    const bikes = await keysOf({ query: "bicicletă" });
    expect(bikes).toContain("tiny-bike");
    expect(await keysOf({ query: "bicicletuță" })).toContain("tiny-bike");
  });

  it("finds a listing that has the misspelling itself first, above the near-spellings' matches, and as before once it is gone", async () => {
    const flats = await search({ query: "aparatment" });
    expect(flats.edges.length).toBeGreaterThan(0);
    expect(flats.edges.every((e) => e.node.score! < 1)).toBe(true);
    const misspelt = await createListing(
      stack,
      seller,
      // In the description only: the vocabulary (titles) does not know the word, so it is still a typo with near-spellings.
      input({ key: "z", title: "Garsonieră mobilată în Florești", categoryId: "201", attributes: { rooms: 1, area: 30 }, eur: 45_000, description: `Garsonieră, scrie aparatment în acte.${FILLER}` }),
    );
    const withIt = await search({ query: "aparatment" });
    expect(withIt.totalCount).toBe(flats.totalCount + 1);
    expect(withIt.edges[0]!.node.listing.id).toBe(misspelt);
    expect(withIt.edges[0]!.node.score).toBeGreaterThan(1);
    expect(withIt.edges[0]!.node.highlight).toContain("<mark>aparatment</mark>");
    expect((await stack.request(DELETE, { id: misspelt }, { token: seller.token })).errors).toBeUndefined();
    const after = await search({ query: "aparatment" });
    expect(after.edges.map((e) => e.node.listing.id)).toEqual(flats.edges.map((e) => e.node.listing.id));
    expect(after.totalCount).toBe(flats.totalCount);
  });

  it("reads phrases in quotes and excludes words with a minus", async () => {
    const found = await keysOf({ query: '"dacia logan" -avariat' });
    expect(found.sort()).toEqual(["car-laureate", "logan"]);
    expect(await keysOf({ query: '"logan dacia"' })).toEqual([]);
    expect((await keysOf({ query: "dacia -logan" })).sort()).toEqual(["sandero"]);
    expect(await keysOf({ query: 'dacia -"logan mcv"' })).not.toContain("logan-damaged");
  });

  it("without a query, filters alone, newest first", async () => {
    const all = await search({});
    expect(all.totalCount).toBe(ITEMS.length);
    const dates = all.edges.map((e) => e.node.listing.publishedAt);
    expect(dates.length).toBe(ITEMS.length);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(all.edges.every((e) => e.node.score === null && e.node.highlight === null)).toBe(true);
  });

  it("filters by category subtree, place, price in either currency, condition and seller", async () => {
    // Sport, timp liber, artă: the bikes and the book.
    expect((await keysOf({ filter: { categoryId: "8" } })).sort()).toEqual(["book", "city-bike", "gherla-bike", "kids-bikes", "mtb", "tiny-bike"]);
    expect((await keysOf({ filter: { categorySlug: "biciclete", county: "CJ" } })).sort()).toEqual(["gherla-bike", "mtb", "tiny-bike"]);
    expect((await keysOf({ query: "dacia", filter: { county: "cj", city: "turda" } })).sort()).toEqual(["sandero"]);
    // Words in a category: a top-level one with a partition of its own (Auto), a category below it, a
    // top-level one among the others' shared partition (Casă și grădină), and neither's listings found
    // in the other (search-sql.ts categoryCondition filters words' matches by the category's integers).
    const dacias = ["car-laureate", "logan", "logan-damaged", "sandero"];
    expect((await keysOf({ query: "dacia", filter: { categoryId: "1" } })).sort()).toEqual(dacias);
    expect((await keysOf({ query: "dacia", filter: { categoryId: "101" } })).sort()).toEqual(dacias);
    expect(await keysOf({ query: "dacia", filter: { categoryId: "4" } })).toEqual([]);
    expect(await keysOf({ query: "bosch", filter: { categoryId: "6" } })).toEqual(["drill"]);
    expect(await keysOf({ query: "bosch", filter: { categoryId: "4" } })).toEqual(["washer"]);
    expect(await keysOf({ query: "bosch", filter: { categoryId: "604" } })).toEqual(["drill"]);
    expect(await keysOf({ query: "bosch", filter: { categoryId: "8" } })).toEqual([]);
    // 1,000 to 10,000 EUR: the EUR cars (no RON listing costs over 4,970 lei).
    const cars = await keysOf({ filter: { price: { min: 100_000, max: 1_000_000, currency: "EUR" } } });
    expect(cars.sort()).toEqual(["car-laureate", "golf", "logan", "logan-damaged", "sandero"]);
    // 1,000 to 2,000 lei: RON listings, and the studio's 350 EUR (1,739.50 lei at the test rate).
    const lei = await keysOf({ filter: { price: { min: 100_000, max: 200_000 } } });
    expect(lei.sort()).toEqual(["galaxy", "mtb", "puppies", "sofa", "studio"]);
    expect((await keysOf({ filter: { condition: ["NEW"] } })).sort()).toEqual(["schoolbag", "tiny-bike", "tiny-phone"]);
    const others = await keysOf({ filter: { sellerId: otherSeller.id } });
    expect(others.length).toBeGreaterThan(0);
    expect(others.sort()).toEqual(ITEMS.filter((_, i) => i % 4 === 3).map((i) => i.key).sort());
  });

  it("filters by radius around a city or a point, and sorts by distance", async () => {
    const near = await search({ filter: { categoryId: "801", near: { county: "CJ", city: "Cluj-Napoca", radiusKm: 30 } }, sort: "DISTANCE" });
    const keys = near.edges.map((e) => Object.entries(id).find(([, v]) => v === e.node.listing.id)![0]);
    expect(keys).toEqual(["mtb", "tiny-bike"]);
    expect(near.edges[0]!.node.distanceKm).toBe(0);
    expect(near.edges[1]!.node.distanceKm).toBeGreaterThan(20);
    expect(near.edges[1]!.node.distanceKm).toBeLessThan(30);
    const wider = await keysOf({ filter: { categoryId: "801", near: { county: "CJ", city: "Cluj-Napoca", radiusKm: 45 } }, sort: "DISTANCE" });
    expect(wider).toEqual(["mtb", "tiny-bike", "gherla-bike"]);
    // A point in Iași (Piața Unirii), no radius: every bike, nearest first.
    const fromIasi = await search({ filter: { categoryId: "801", near: { latitude: 47.1651, longitude: 27.5807 } }, sort: "DISTANCE" });
    const distances = fromIasi.edges.map((e) => e.node.distanceKm!);
    expect(distances.length).toBe(5);
    expect(distances[0]).toBeLessThan(5);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
  });

  it("filters a parent category with a place by its whole subtree", async () => {
    // Sport, timp liber, artă (8) holds Biciclete (801) and Cărți (804): with a place, its subtree's listings there.
    expect((await keysOf({ filter: { categoryId: "8", county: "CJ" } })).sort()).toEqual(["book", "gherla-bike", "mtb", "tiny-bike"]);
    expect((await keysOf({ filter: { categoryId: "8", county: "CJ", city: "Turda" } })).sort()).toEqual(["tiny-bike"]);
    const near = await keysOf({ filter: { categoryId: "8", near: { county: "CJ", city: "Cluj-Napoca", radiusKm: 30 } }, sort: "DISTANCE" });
    expect(near.slice(-1)).toEqual(["tiny-bike"]);
    expect(near.sort()).toEqual(["book", "mtb", "tiny-bike"]);
    const counted = await search({ query: "bicicleta", filter: { categorySlug: "sport-timp-liber-arta", near: { county: "CJ", city: "Cluj-Napoca", radiusKm: 45 } } });
    expect(counted.totalCount).toBe(3);
  });

  it("filters by the category's attributes: ranges, any of, equality", async () => {
    const recent = await keysOf({ filter: { categoryId: "101", attributes: [{ key: "year", min: 2015 }, { key: "km", max: 150_000 }] } });
    expect(recent.sort()).toEqual(["car-laureate", "logan", "sandero"]);
    const between = await keysOf({ filter: { categorySlug: "autoturisme", attributes: [{ key: "year", min: 2012, max: 2015 }] } });
    expect(between.sort()).toEqual(["golf", "logan-damaged"]);
  });

  it("refuses an attribute the category does not define, or a condition of the wrong kind", async () => {
    expect(await refused({ filter: { categoryId: "1", attributes: [{ key: "fuel", anyOf: ["diesel"] }] } })).toEqual([expect.objectContaining({ field: "filter.attributes.fuel", reason: "NOT_FOUND" })]);
    expect(await refused({ filter: { categoryId: "101", attributes: [{ key: "year", anyOf: ["2016"] }] } })).toEqual([expect.objectContaining({ field: "filter.attributes.year", reason: "INVALID" })]);
    expect(await refused({ filter: { categoryId: "101", attributes: [{ key: "fuel", anyOf: ["apa"] }] } })).toEqual([expect.objectContaining({ field: "filter.attributes.fuel", reason: "NOT_ALLOWED" })]);
    expect(await refused({ filter: { attributes: [{ key: "year", min: 2000 }] } })).toEqual([expect.objectContaining({ field: "filter.categoryId", reason: "REQUIRED" })]);
  });

  it("filters ENUM by any of, BOOLEAN by equality, and by days since publishing", async () => {
    expect((await keysOf({ filter: { categoryId: "101", attributes: [{ key: "fuel", anyOf: ["diesel"] }] } })).sort()).toEqual(["car-laureate", "golf", "logan"]);
    expect(await keysOf({ filter: { categoryId: "901", attributes: [{ key: "vaccinated", equals: true }] } })).toEqual(["puppies"]);
    expect(await keysOf({ filter: { postedWithinDays: 1, categoryId: "9" } })).toHaveLength(2);
    await stack.app.db.prisma.listing.update({ where: { id: id.kitten! }, data: { publishedAt: new Date(Date.now() - 10 * 86_400_000) } });
    expect(await keysOf({ filter: { postedWithinDays: 7, categoryId: "9" } })).toEqual(["puppies"]);
    expect(await keysOf({ filter: { postedWithinDays: 30, categoryId: "9" } })).toHaveLength(2);
  });

  it("sorts by price either way, and pages every sort without duplicates or gaps", async () => {
    const ascending = (await search({ sort: "PRICE_ASC" })).edges.map((e) => e.node.listing.price);
    expect(ascending.length).toBe(ITEMS.length);
    const ron = (p: { amount: number; currency: string }) => (p.currency === "EUR" ? p.amount * 4.97 : p.amount);
    expect(ascending.map(ron)).toEqual([...ascending.map(ron)].sort((a, b) => a - b));
    const descending = (await search({ sort: "PRICE_DESC" })).edges.map((e) => ron(e.node.listing.price));
    expect(descending).toEqual([...descending].sort((a, b) => b - a));

    for (const [sort, query] of [["RELEVANCE", "dacia"], ["NEWEST", null], ["PRICE_ASC", null], ["PRICE_DESC", "bosch"], ["DISTANCE", null]] as const) {
      const filter = sort === "DISTANCE" ? { near: { county: "B", city: "București" } } : undefined;
      const whole = await search({ query, sort, filter });
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page = await search({ query, sort, filter, first: 3, after });
        seen.push(...page.edges.map((e) => e.node.listing.id));
        expect(page.totalCount).toBe(whole.totalCount);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(seen.length, sort).toBeGreaterThan(1);
      expect(seen, sort).toEqual(whole.edges.map((e) => e.node.listing.id));
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it("counts facets that add up to the total", async () => {
    for (const query of [null, "dacia", "bicicleta"]) {
      const r = await stack.request(FACETS, { query });
      expect(r.errors).toBeUndefined();
      const { totalCount, facets } = r.data.search;
      expect(totalCount).toBeGreaterThan(0);
      const sum = (list: { count: number }[]) => list.reduce((s, x) => s + x.count, 0);
      expect(sum(facets.counties)).toBe(totalCount);
      expect(sum(facets.priceRanges)).toBe(totalCount);
      expect(facets.priceRanges.length).toBeLessThanOrEqual(5);
      const top = facets.categories.filter((c: { category: { parent: unknown } }) => c.category.parent === null);
      expect(sum(top)).toBe(totalCount);
      // A parent counts its subcategories.
      for (const parent of top) {
        const children = facets.categories.filter((c: { category: { parent: { id: string } | null } }) => c.category.parent?.id === parent.category.id);
        expect(sum(children)).toBe(parent.count);
      }
      expect(facets.cities.length).toBeGreaterThan(0);
      expect(sum(facets.conditions)).toBe(totalCount);
    }
    const all = (await stack.request(FACETS, {})).data.search.facets;
    expect(all.counties).toEqual(
      expect.arrayContaining([{ county: { code: "CJ", name: "Cluj" }, count: ITEMS.filter((i) => (i.county ?? "CJ") === "CJ").length }]),
    );
    expect(all.conditions).toEqual(expect.arrayContaining([{ condition: "NEW", count: 3 }]));
    const ranges = all.priceRanges as { min: number; max: number | null }[];
    expect(ranges[0]!.min).toBe(0);
    expect(ranges.at(-1)!.max).toBeNull();
    for (const [i, range] of ranges.slice(1).entries()) expect(range.min).toBe(ranges[i]!.max! + 1);
  });

  it("answers any part of a search selected alone as it answers them together", async () => {
    for (const [query, sort] of [["dacia", "RELEVANCE"], [null, "NEWEST"], ["bicicleta", "PRICE_ASC"]] as const) {
      const together = (await stack.request(FACETS, { query })).data.search;
      const byCode = (list: { county: { code: string }; count: number }[]) => list.map((c) => `${c.county.code}:${c.count}`).sort();
      const facetsAlone = await stack.request(`query ($query: String, $sort: SearchSort) { search(query: $query, sort: $sort) { facets { counties { county { code } count } } } }`, { query, sort });
      expect(facetsAlone.errors).toBeUndefined();
      expect(byCode(facetsAlone.data.search.facets.counties)).toEqual(byCode(together.facets.counties));
      const totalAlone = await stack.request(`query ($query: String, $sort: SearchSort) { search(query: $query, sort: $sort) { totalCount } }`, { query, sort });
      expect(totalAlone.data.search.totalCount).toBe(together.totalCount);
      const pageAlone = await stack.request(`query ($query: String, $sort: SearchSort) { search(query: $query, sort: $sort, first: 100) { edges { node { listing { id } } } } }`, { query, sort });
      expect(pageAlone.errors).toBeUndefined();
      const withTotal = await search({ query, sort });
      expect(pageAlone.data.search.edges.map((e: { node: { listing: { id: string } } }) => e.node.listing.id)).toEqual(withTotal.edges.map((e) => e.node.listing.id));
      expect(withTotal.edges.length).toBe(together.totalCount);
    }
  });

  it("highlights matched words in escaped text, from the title or else the description", async () => {
    const [hit] = (await search({ query: "bicicleta rockrider" })).edges;
    expect(hit!.node.highlight).toBe("<mark>Bicicletă</mark> MTB <mark>Rockrider</mark> 27.5 aproape nouă");
    const sofa = (await search({ query: "încăpătoare" })).edges.map((e) => e.node.highlight);
    expect(sofa).toHaveLength(1);
    expect(sofa[0]).toContain("<mark>încăpătoare</mark>");
    expect(sofa[0]).toContain("&amp;");
    expect(sofa[0]!.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
    expect(hit!.node.score).toBeGreaterThan(0);
  });

  it("suggests completions as the user types: categories, words, typos", async () => {
    const suggest = async (prefix: string, first?: number) => {
      const r = await stack.request(SUGGEST, { prefix, first });
      expect(r.errors).toBeUndefined();
      return r.data.suggest as { text: string; category: { id: string; name: string } | null }[];
    };
    const bic = await suggest("bic");
    expect(bic.map((s) => s.text.toLowerCase())).toEqual(expect.arrayContaining(["bicicletă", "biciclete"]));
    expect(bic.some((s) => s.category?.name === "Biciclete")).toBe(true);
    expect(await suggest("autot")).toEqual(expect.arrayContaining([{ text: "Autoturisme", category: { id: "101", name: "Autoturisme" } }]));
    expect((await suggest("bicilc")).map((s) => s.text)).toEqual(expect.arrayContaining(["bicicletă"]));
    expect(await suggest("autoturizme")).toEqual(expect.arrayContaining([{ text: "Autoturisme", category: { id: "101", name: "Autoturisme" } }]));
    expect((await suggest("dacia lo")).map((s) => s.text)).toContain("dacia logan");
    expect(await suggest("bic", 1)).toHaveLength(1);
    expect(await suggest("   ")).toEqual([]);
  });

  it("shows an edit, a sale and a deletion as soon as the mutation returns", async () => {
    const fresh = await createListing(stack, seller, input({ key: "x", title: "Trotinetă electrică Xiaomi Pro 2", categoryId: "802", attributes: {}, lei: 1_100 }));
    expect((await search({ query: "trotineta" })).edges.map((e) => e.node.listing.id)).toEqual([fresh]);
    const changes = { title: "Scuter electric Xiaomi Pro 2 cu autonomie", description: `Scuter electric cu autonomie mare, încărcător original inclus.${FILLER}` };
    const edited = await stack.request(UPDATE, { id: fresh, input: changes }, { token: seller.token });
    expect(edited.errors).toBeUndefined();
    expect(await search({ query: "trotineta" })).toMatchObject({ totalCount: 0 });
    const [scooter] = (await search({ query: "scuter autonomie" })).edges;
    expect(scooter?.node.listing.id).toBe(fresh);
    // The highlight comes from the text kept apart from the index rows (SearchText): the edit's, at once.
    expect(scooter!.node.highlight).toBe("<mark>Scuter</mark> electric Xiaomi Pro 2 cu <mark>autonomie</mark>");
    expect((await stack.request(SOLD, { id: fresh }, { token: seller.token })).errors).toBeUndefined();
    expect(await search({ query: "scuter autonomie" })).toMatchObject({ totalCount: 0 });

    const draft = await createListing(stack, seller, input({ key: "y", title: "Chitară acustică Yamaha cu husă", categoryId: "805", attributes: {}, lei: 800 }), false);
    expect(await search({ query: "chitara yamaha" })).toMatchObject({ totalCount: 0 });
    expect((await stack.request(`mutation ($id: ID!) { publishListing(id: $id) { id } }`, { id: draft }, { token: seller.token })).errors).toBeUndefined();
    expect((await search({ query: "chitara yamaha" })).edges.map((e) => e.node.listing.id)).toEqual([draft]);
    expect((await stack.request(DELETE, { id: draft }, { token: seller.token })).errors).toBeUndefined();
    expect(await search({ query: "chitara yamaha" })).toMatchObject({ totalCount: 0 });
    expect((await search({})).totalCount).toBe(ITEMS.length);
    // One text row per index row, each the listing's own title and description: none left behind by
    // the sale or the deletion, none missing after the edit.
    const unpaired = await stack.app.db.prisma.$queryRaw<unknown[]>`
      SELECT coalesce(d."listingId", t."listingId") AS id FROM "SearchDocument" d
      FULL JOIN "SearchText" t ON t."listingId" = d."listingId"
      LEFT JOIN "Listing" l ON l.id = t."listingId"
      WHERE d."listingId" IS NULL OR t."listingId" IS NULL OR (t.title, t.description) IS DISTINCT FROM (l.title, l.description)`;
    expect(unpaired).toEqual([]);
    const texts = await stack.app.db.prisma.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM "SearchText"`;
    expect(texts[0]!.count).toBe(ITEMS.length);
  });

  it("takes any text as a query: tsquery syntax and stray quotes are only text", async () => {
    for (const query of ["a & | !", '"dacia logan', ":*", "dacia:* & !logan", "(((", "-", '""', "' OR 1=1 --", "\\"]) {
      const r = await stack.request(SEARCH, { query, first: 5 });
      expect(r.errors, query).toBeUndefined();
    }
    expect(await keysOf({ query: '"dacia sandero' })).toEqual(["sandero"]);
  });

  it("refuses bad input with BAD_USER_INPUT, never a server error", async () => {
    expect(await refused({ query: "a".repeat(5_000) })).toEqual([expect.objectContaining({ field: "query", reason: "TOO_LONG" })]);
    expect(codes(await stack.request(SEARCH, { first: 10_000 }))).toEqual(["BAD_USER_INPUT"]);
    expect(await refused({ filter: { price: { min: -1 } } })).toEqual([expect.objectContaining({ field: "filter.price.min", reason: "OUT_OF_RANGE" })]);
    expect(await refused({ filter: { categoryId: "999999" } })).toEqual([expect.objectContaining({ field: "filter.categoryId", reason: "NOT_FOUND" })]);
    expect(await refused({ filter: { categoryId: "1; DROP TABLE" } })).toEqual([expect.objectContaining({ field: "filter.categoryId", reason: "NOT_FOUND" })]);
    expect(await refused({ filter: { near: { radiusKm: 30 } } })).toEqual([expect.objectContaining({ field: "filter.near", reason: "REQUIRED" })]);
    expect(await refused({ filter: { near: { county: "CJ", city: "Cluj-Napoca", radiusKm: 0 } } })).toEqual([expect.objectContaining({ field: "filter.near.radiusKm" })]);
    expect(await refused({ filter: { near: { county: "CJ", city: "Cluj-Napoca", radiusKm: 20_000 } } })).toEqual([expect.objectContaining({ field: "filter.near.radiusKm" })]);
    expect(await refused({ filter: { near: { latitude: 123, longitude: 0 } } })).toEqual([expect.objectContaining({ field: "filter.near" })]);
    expect(await refused({ sort: "DISTANCE" })).toEqual([expect.objectContaining({ field: "sort", reason: "REQUIRED" })]);
    expect(await refused({ after: "bm90IGEgY3Vyc29y" })).toEqual([expect.objectContaining({ field: "after" })]);
    const newest = await search({ first: 1 });
    expect(await refused({ sort: "PRICE_ASC", after: newest.pageInfo.endCursor })).toEqual([expect.objectContaining({ field: "after" })]);
    expect(await refused({ filter: { postedWithinDays: 0 } })).toEqual([expect.objectContaining({ field: "filter.postedWithinDays" })]);
    expect(await refused({ filter: { city: "Turda" } })).toEqual([expect.objectContaining({ field: "filter.county", reason: "REQUIRED" })]);
    const r = await stack.request(SUGGEST, { prefix: "x".repeat(500) });
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
  });

  it("rebuilds from the listings exactly the index the triggers keep (what bulk loads use)", async () => {
    const prisma = stack.app.db.prisma;
    const snapshot = async () => ({
      documents: await prisma.$queryRaw<unknown[]>`
        SELECT d."listingId", d."rootCategoryId", d."categoryPath", d.county, d.city, d."priceRonBani"::text, d.condition, t.title, t.description,
          d."publishedAt", d."publishedEpoch", d."publishedEpoch" = date_part('epoch', d."publishedAt") AS "epochOfPublished", d.document::text
        FROM "SearchDocument" d FULL JOIN "SearchText" t ON t."listingId" = d."listingId" ORDER BY d."listingId"`,
      words: await prisma.$queryRaw<unknown[]>`SELECT word, "docCount" FROM "SearchWord" WHERE "docCount" > 0 ORDER BY word`,
    });
    const kept = await snapshot();
    expect(kept.documents.length).toBe(ITEMS.length);
    // The freshness boost reads the stored epoch (search-sql.ts score): the triggers keep it publishedAt's.
    expect(kept.documents.every((d) => (d as { epochOfPublished: boolean }).epochOfPublished)).toBe(true);
    expect(kept.words.length).toBeGreaterThan(50);
    await prisma.$executeRaw`SELECT search_rebuild()`;
    expect(await snapshot()).toEqual(kept);
  });
});
