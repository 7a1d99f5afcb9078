import { afterAll, beforeAll, expect, it } from "vitest";
import { createListing, signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

describeStack("federation across users and listings", () => {
  let stack: Stack;
  const sellers: TestUser[] = [];

  beforeAll(async () => {
    stack = await startStack();
    for (let i = 0; i < 10; i++) sellers.push(await signUp(stack, `Vânzător ${i}`));
    // 60 listings from 10 sellers, so a page of 50 references many sellers and categories.
    for (let i = 0; i < 60; i++) await createListing(stack, sellers[i % 10]!, { price: { amount: 1000 * (i + 1), currency: "RON" } });
  });
  afterAll(() => stack?.stop());

  it("goes listing → seller → the seller's other listings → their categories in one query", async () => {
    const r = await stack.request(`{
      listings(first: 3) { edges { node {
        id title
        seller { id displayName listingCount listings(first: 2) { totalCount edges { node { id category { name parent { name } } } } } }
      } } }
    }`);
    expect(r.errors).toBeUndefined();
    const node = r.data.listings.edges[0].node;
    expect(node.seller.displayName).toMatch(/^Vânzător \d$/);
    expect(node.seller.listingCount).toBe(6);
    expect(node.seller.listings.totalCount).toBe(6);
    expect(node.seller.listings.edges).toHaveLength(2);
    expect(node.seller.listings.edges[0].node.category).toEqual({ name: "Autoturisme", parent: { name: expect.stringMatching(/^Auto/) } });
  });

  it("contributes listings to the users' User entity (user → listings)", async () => {
    const seller = sellers[3]!;
    const r = await stack.request(`query ($id: ID!) { user(id: $id) { displayName listingCount listings(first: 4) { totalCount pageInfo { hasNextPage endCursor } edges { node { seller { id } } } } } }`, { id: seller.id });
    expect(r.errors).toBeUndefined();
    expect(r.data.user).toMatchObject({ displayName: "Vânzător 3", listingCount: 6, listings: { totalCount: 6, pageInfo: { hasNextPage: true } } });
    expect(r.data.user.listings.edges.every((e: any) => e.node.seller.id === seller.id)).toBe(true);
    const next = await stack.request(`query ($id: ID!, $after: String) { user(id: $id) { listings(first: 4, after: $after) { edges { node { id } } pageInfo { hasNextPage } } } }`, {
      id: seller.id,
      after: r.data.user.listings.pageInfo.endCursor,
    });
    expect(next.data.user.listings.edges).toHaveLength(2);
    expect(next.data.user.listings.pageInfo.hasNextPage).toBe(false);
  });

  it("resolves 50 listings with seller, category and favorite count in a constant number of SQL statements", async () => {
    // A new operation name each time: the gateway's response cache answers a repeated query with no SQL at all.
    const query = (n: number, name: string) => `query ${name} { listings(first: ${n}) { edges { node { id title seller { id displayName } category { name } favoriteCount } } } }`;
    const statements = async (n: number, name: string) => {
      const response = await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: query(n, name) }) });
      const body: any = await response.json();
      expect(body.errors).toBeUndefined();
      expect(body.data.listings.edges).toHaveLength(n);
      if (n === 50) expect(new Set(body.data.listings.edges.map((e: any) => e.node.seller.id)).size).toBe(10);
      return Number(response.headers.get("x-sql-statements"));
    };
    const cold50 = await statements(50, "Cold50");
    expect(cold50).toBeGreaterThan(0);
    expect(cold50).toBeLessThanOrEqual(6);
    // Sellers' public profiles are kept across requests (UsersService.publicProfiles): compare pages
    // read with the same profiles in memory; the 10 sellers of the first read cost one statement.
    const warm50 = await statements(50, "Warm50");
    const warm5 = await statements(5, "Warm5");
    expect(warm50).toBeGreaterThan(0);
    expect(warm50).toBe(warm5);
    expect(cold50 - warm50).toBe(1);
  });
});
