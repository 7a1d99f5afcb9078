import { afterAll, beforeAll, expect, it } from "vitest";
import { codes } from "./utils/client.ts";
import { createListing, signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const BROWSE = `query ($filter: ListingFilter, $sort: ListingSort, $first: Int, $after: String) {
  listings(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    edges { cursor node { id price { amount currency } location { county { code } city } category { id } condition seller { id } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

const PHONE = {
  categoryId: "401",
  title: "Telefon în stare bună, cu încărcător original",
  description: "Telefonul funcționează perfect, ecranul nu are zgârieturi, bateria ține o zi întreagă. Se vinde cu cutie și încărcător.",
};

describeStack("browsing listings", () => {
  let stack: Stack;
  let alice: TestUser;
  let bogdan: TestUser;
  const ids: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    [alice, bogdan] = await Promise.all([signUp(stack, "Alice Mureșan"), signUp(stack, "Bogdan Stan")]);
    // 24 listings: cars in CJ and B at rising EUR prices; phones in IS in RON; one draft that must never show.
    for (let i = 0; i < 12; i++) {
      ids.push(await createListing(stack, i % 2 ? alice : bogdan, {
        county: i % 3 ? "CJ" : "B",
        city: i % 3 ? "Cluj-Napoca" : "București",
        price: { amount: 100_000 * (i + 1), currency: "EUR" },
      }));
    }
    for (let i = 0; i < 12; i++) {
      ids.push(await createListing(stack, alice, {
        ...PHONE,
        county: "IS",
        city: "Iași",
        condition: i % 2 ? "NEW" : "USED",
        price: { amount: 50_000 * (i + 1), currency: "RON" },
        attributes: { brand: "samsung", storageGb: 128 },
      }));
    }
    await createListing(stack, alice, {}, false);
  });
  afterAll(() => stack?.stop());

  async function allPages(filter: object, sort: string, first: number) {
    const seen: any[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r: any = await stack.request(BROWSE, { filter, sort, first, after });
      expect(r.errors).toBeUndefined();
      seen.push(...r.data.listings.edges.map((e: any) => e.node));
      pages++;
      expect(r.data.listings.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!r.data.listings.pageInfo.hasNextPage) return { seen, pages, total: r.data.listings.totalCount };
      after = r.data.listings.pageInfo.endCursor;
    }
  }

  it("pages through every active listing once, with no duplicates or gaps", async () => {
    const { seen, pages, total } = await allPages({}, "NEWEST", 5);
    expect(total).toBe(24);
    expect(pages).toBe(5);
    expect(new Set(seen.map((l) => l.id)).size).toBe(24);
    expect(new Set(seen.map((l) => l.id))).toEqual(new Set(ids));
  });

  it("gives full descriptions on list pages too (they are loaded only when asked for)", async () => {
    const r = await stack.request(`{ listings(first: 30) { edges { node { id description } } } }`);
    const descriptions = r.data.listings.edges.map((e: any) => e.node.description);
    expect(descriptions).toHaveLength(24);
    expect(descriptions.every((d: string) => d.length >= 80)).toBe(true);
  });

  it("keeps cursors stable when new listings arrive between pages", async () => {
    const first = await stack.request(BROWSE, { first: 10 });
    await createListing(stack, bogdan);
    const second = await stack.request(BROWSE, { first: 100, after: first.data.listings.pageInfo.endCursor });
    const firstIds = first.data.listings.edges.map((e: any) => e.node.id);
    const secondIds = second.data.listings.edges.map((e: any) => e.node.id);
    expect(secondIds.filter((id: string) => firstIds.includes(id))).toEqual([]);
    expect(firstIds.length + secondIds.length).toBe(24);
  });

  it("sorts by price across currencies, in both directions", async () => {
    const asc = (await allPages({}, "PRICE_ASC", 7)).seen;
    const toRon = (l: any) => (l.price.currency === "EUR" ? l.price.amount * 4.97 : l.price.amount);
    const values = asc.map(toRon);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const desc = (await allPages({}, "PRICE_DESC", 7)).seen.map(toRon);
    expect(desc).toEqual([...values].reverse());
  });

  it("filters by category including subcategories", async () => {
    const top = await allPages({ categoryId: "1" }, "NEWEST", 50);
    expect(top.seen.every((l) => l.category.id === "101")).toBe(true);
    expect(top.seen.length).toBeGreaterThanOrEqual(12);
    const bySlug = await allPages({ categorySlug: "telefoane" }, "NEWEST", 50);
    expect(bySlug.total).toBe(12);
  });

  it("filters by county and city, price range, condition and seller", async () => {
    const cluj = await allPages({ county: "CJ", city: "cluj-napoca" }, "NEWEST", 50);
    expect(cluj.seen.every((l) => l.location.city === "Cluj-Napoca")).toBe(true);
    expect(cluj.total).toBeGreaterThan(0);
    const range = await allPages({ price: { min: 100_000, max: 300_000, currency: "RON" } }, "PRICE_ASC", 50);
    expect(range.seen.map((l) => l.price.amount)).toEqual([100_000, 150_000, 200_000, 250_000, 300_000]);
    const eur = await allPages({ price: { min: 1_000_000, currency: "EUR" } }, "PRICE_ASC", 50);
    expect(eur.seen.every((l) => l.price.currency === "EUR" && l.price.amount >= 1_000_000)).toBe(true);
    const fresh = await allPages({ condition: ["NEW"] }, "NEWEST", 50);
    expect(fresh.total).toBe(6);
    const bogdans = await allPages({ sellerId: bogdan.id }, "NEWEST", 50);
    expect(bogdans.seen.every((l) => l.seller.id === bogdan.id)).toBe(true);
  });

  it.each([
    [{ filter: { categoryId: "999" } }],
    [{ filter: { county: "ZZ" } }],
    [{ filter: { county: "CJ", city: "Timișoara" } }],
    [{ filter: { city: "Cluj-Napoca" } }],
    [{ filter: { price: { min: 500, max: 100 } } }],
    [{ filter: { price: { min: -5 } } }],
    [{ filter: { sellerId: "nu-e-uuid" } }],
    [{ first: 1000 }],
    [{ first: -1 }],
    [{ after: "nu-e-un-cursor" }],
  ])("refuses invalid browse arguments %j", async (variables) => {
    expect(codes(await stack.request(BROWSE, variables))).toEqual(["BAD_USER_INPUT"]);
  });
});
