/**
 * What the subgraphs keep across requests to spare statements on every page (listings by id, public
 * profiles, a seller's listing count, the newest listings of a category), through the public endpoint with the response cache off, so each answer
 * is computed: a repeated read costs fewer statements, and a change shows in the next read — in the
 * same process at once, in another process within a second (purges through Redis).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createListing, signUp } from "./utils/fixtures.ts";
import { REDIS_URL, redisUnavailableFor } from "./utils/redis.ts";
import { backend, describeStack, startStack, type Stack } from "./utils/stack.ts";

const NO_RESPONSE_CACHE = { RESPONSE_CACHE_MAX_BYTES: "0" };

const SELLER_ON_LISTING = /* GraphQL */ `
  query ($id: ID!) { listing(id: $id) { id seller { id displayName memberSince listingCount } similar(first: 3) { id } } }
`;

async function ask(stack: Stack, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(stack.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  return { body, sql: Number(response.headers.get("x-sql-statements")) };
}

async function rename(stack: Stack, token: string, displayName: string): Promise<void> {
  const renamed = await ask(stack, `mutation ($n: String!) { updateProfile(input: { displayName: $n }) { id } }`, { n: displayName }, token);
  expect(renamed.body.errors).toBeUndefined();
}

describeStack(`read caches of the subgraphs (${backend})`, () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(NO_RESPONSE_CACHE);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("reads a seller's public profile, listing count and the category's newest once, and shows a rename or a new listing in the next read", async () => {
    const seller = await signUp(stack, "Vânzător Cache");
    const id = await createListing(stack, seller);
    const first = await ask(stack, SELLER_ON_LISTING, { id });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.listing.seller).toMatchObject({ id: seller.id, displayName: "Vânzător Cache", listingCount: 1 });
    const again = await ask(stack, SELLER_ON_LISTING, { id });
    expect(again.body).toEqual(first.body);
    // The listing, its seller's profile and count and the similar listings: all from memory.
    expect(first.sql).toBeGreaterThan(0);
    expect(again.sql).toBe(0);

    await rename(stack, seller.token, "Vânzător Redenumit");
    const renamed = await ask(stack, SELLER_ON_LISTING, { id });
    expect(renamed.body.data.listing.seller.displayName).toBe("Vânzător Redenumit");

    const second = await createListing(stack, seller); // the same category
    const after = (await ask(stack, SELLER_ON_LISTING, { id })).body.data.listing;
    expect(after.seller.listingCount).toBe(2);
    expect(after.similar.map((l: { id: string }) => l.id)).toContain(second);
  });

  it("shows a listing's edit, favourite, sale and deletion in the next read, to its seller and to others", async () => {
    const seller = await signUp(stack, "Vânzător Schimbări");
    const buyer = await signUp(stack, "Cumpărător Schimbări");
    const id = await createListing(stack, seller);
    const page = `query ($id: ID!) { listing(id: $id) { id title status favoriteCount } }`;
    const read = async (token?: string) => (await ask(stack, page, { id }, token)).body.data.listing;
    for (let i = 0; i < 2; i++) expect(await read()).toMatchObject({ title: expect.any(String), status: "ACTIVE", favoriteCount: 0 });
    const change = async (mutation: string, variables: Record<string, unknown>, token: string) => {
      const answer = await ask(stack, mutation, variables, token);
      expect(answer.body.errors).toBeUndefined();
    };
    await change(`mutation ($id: ID!) { updateListing(id: $id, input: { title: "Titlu schimbat după citire" }) { id } }`, { id }, seller.token);
    expect((await read()).title).toBe("Titlu schimbat după citire");
    await change(`mutation ($id: ID!) { addFavorite(listingId: $id) { id } }`, { id }, buyer.token);
    expect((await read()).favoriteCount).toBe(1);
    await change(`mutation ($id: ID!) { markListingSold(id: $id) { id } }`, { id }, seller.token);
    expect((await read(buyer.token)).status).toBe("SOLD");
    await change(`mutation ($id: ID!) { deleteListing(id: $id) { id } }`, { id }, seller.token);
    expect(await read(buyer.token)).toBeNull();
    expect(await read()).toBeNull();
  });

  it("still shows private fields only to their owner, read whole when asked", async () => {
    const owner = await signUp(stack, "Proprietar Privat");
    const query = `query ($id: ID!) { user(id: $id) { id displayName email } }`;
    const anonymous = await ask(stack, query, { id: owner.id });
    expect(anonymous.body.data.user).toEqual({ id: owner.id, displayName: "Proprietar Privat", email: null });
    const own = await ask(stack, query, { id: owner.id }, owner.token);
    expect(own.body.data.user.email).toBe(owner.email);
    const other = await signUp(stack, "Altcineva");
    expect((await ask(stack, query, { id: owner.id }, other.token)).body.data.user.email).toBeNull();
  });
});

const redisUnavailable = await redisUnavailableFor("read caches across processes");

describe.skipIf(!!redisUnavailable || backend !== "postgres")("read caches across processes (Redis)", () => {
  let one: Stack;
  let two: Stack;
  beforeAll(async () => {
    one = await startStack({ ...NO_RESPONSE_CACHE, REDIS_URL });
    two = await startStack({ ...NO_RESPONSE_CACHE, REDIS_URL, DATABASE_URL: one.databaseUrl! });
  });
  afterAll(async () => {
    await two?.stop();
    await one?.stop();
  });

  it("a rename, an edit or a new listing through one process shows in the other's next reads within a second", async () => {
    const seller = await signUp(one, "Vânzător Doi Procese");
    const id = await createListing(one, seller);
    const query = `query ($id: ID!) { listing(id: $id) { title seller { displayName listingCount } } }`;
    for (let i = 0; i < 2; i++) expect((await ask(two, query, { id })).body.data.listing.seller.displayName).toBe("Vânzător Doi Procese");
    await rename(one, seller.token, "Redenumit Prin Unu");
    await createListing(one, seller);
    const edit = await ask(one, `mutation ($id: ID!) { updateListing(id: $id, input: { title: "Schimbat prin procesul unu" }) { id } }`, { id }, seller.token);
    expect(edit.body.errors).toBeUndefined();
    const deadline = Date.now() + 1000;
    let seen;
    do seen = (await ask(two, query, { id })).body.data.listing;
    while ((seen.seller.displayName !== "Redenumit Prin Unu" || seen.seller.listingCount !== 2 || seen.title !== "Schimbat prin procesul unu") && Date.now() < deadline);
    expect(seen).toEqual({ title: "Schimbat prin procesul unu", seller: { displayName: "Redenumit Prin Unu", listingCount: 2 } });
  });
});
