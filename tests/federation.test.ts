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
    const query = (n: number) => `{ listings(first: ${n}) { edges { node { id title seller { id displayName } category { name } favoriteCount } } } }`;
    const fifty = await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: query(50) }) });
    const body: any = await fifty.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.listings.edges).toHaveLength(50);
    expect(new Set(body.data.listings.edges.map((e: any) => e.node.seller.id)).size).toBe(10);
    const statements50 = Number(fifty.headers.get("x-sql-statements"));
    const five = await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: query(5) }) });
    const statements5 = Number(five.headers.get("x-sql-statements"));
    expect(statements50).toBeGreaterThan(0);
    expect(statements50).toBeLessThanOrEqual(6);
    expect(statements50).toBe(statements5);
  });
});
