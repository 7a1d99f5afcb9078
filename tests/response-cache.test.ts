/**
 * The gateway's response cache, through the public endpoint: what is kept and for whom, what every
 * kind of change purges, HTTP caching (Cache-Control, ETag, 304, GET), and two gateways purging each
 * other through Redis. Correctness, not speed: a hit is seen as `cache-status: …hit` and no SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { carListingInput, createListing, signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { REDIS_URL, redisUnavailableFor } from "./utils/redis.ts";
import { backend, describeStack, startStack, type Stack } from "./utils/stack.ts";

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function ask(stack: Stack, query: string, variables: Record<string, unknown> = {}, options: { token?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const response = await fetch(stack.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const hit = (answer: Answer) => /; hit/.test(answer.headers.get("cache-status") ?? "");
const sql = (answer: Answer) => Number(answer.headers.get("x-sql-statements"));

const LISTING_PAGE = /* GraphQL */ `
  query ListingPage($id: ID!) {
    listing(id: $id) { id title favoriteCount status price { amount } seller { id displayName } }
  }
`;
const BROWSE = /* GraphQL */ `
  query Browse { listings(first: 50) { totalCount edges { node { id title } } } }
`;

/** Asks twice: the second answer must come from the cache (so later misses prove a purge). */
async function cached(stack: Stack, query: string, variables: Record<string, unknown> = {}, options: { token?: string } = {}): Promise<Answer> {
  const first = await ask(stack, query, variables, options);
  expect(first.body.errors).toBeUndefined();
  const second = await ask(stack, query, variables, options);
  expect(hit(second)).toBe(true);
  expect(second.body).toEqual(first.body);
  return second;
}

describeStack(`response cache (${backend})`, () => {
  let stack: Stack;
  let seller: TestUser;
  let buyer: TestUser;

  beforeAll(async () => {
    stack = await startStack();
    seller = await signUp(stack, "Vânzător Cache");
    buyer = await signUp(stack, "Cumpărător Cache");
  });
  afterAll(() => stack?.stop());

  it("answers a repeated anonymous query from the cache, with no SQL, and says so in HTTP", async () => {
    const id = await createListing(stack, seller);
    const first = await ask(stack, LISTING_PAGE, { id });
    expect(first.body.data.listing.id).toBe(id);
    expect(hit(first)).toBe(false);
    expect(first.headers.get("cache-status")).toMatch(/fwd=miss; stored/);
    expect(sql(first)).toBeGreaterThan(0);
    expect(first.headers.get("cache-control")).toBe("public, max-age=60");
    expect(first.headers.get("vary")).toMatch(/Authorization/);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^".+"$/);

    const second = await ask(stack, LISTING_PAGE, { id });
    expect(hit(second)).toBe(true);
    expect(sql(second)).toBe(0);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("etag")).toBe(etag);
    expect(second.headers.get("cache-control")).toMatch(/^public, max-age=(59|60)$/);

    const revalidated = await fetch(stack.url, {
      method: "POST",
      headers: { "content-type": "application/json", "if-none-match": etag! },
      body: JSON.stringify({ query: LISTING_PAGE, variables: { id } }),
    });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");

    // Another id is another answer.
    const other = await createListing(stack, seller, { title: "Alt anunț de test pentru cache" });
    const third = await ask(stack, LISTING_PAGE, { id: other });
    expect(hit(third)).toBe(false);
    expect(third.body.data.listing.id).toBe(other);
  });

  it("serves GET requests (as a CDN sends them) from the same cache, with 304 on a matching ETag", async () => {
    const id = await createListing(stack, seller);
    const url = `${stack.url}?query=${encodeURIComponent(LISTING_PAGE)}&variables=${encodeURIComponent(JSON.stringify({ id }))}`;
    const headers = { "apollo-require-preflight": "true" };
    const first = await fetch(url, { headers });
    expect(first.status).toBe(200);
    expect(((await first.json()) as any).data.listing.id).toBe(id);
    const second = await fetch(url, { headers });
    expect(second.headers.get("cache-status")).toMatch(/; hit/);
    await second.text();
    const notModified = await fetch(url, { headers: { ...headers, "if-none-match": second.headers.get("etag")! } });
    expect(notModified.status).toBe(304);
    // Apollo refuses a GET without a CSRF-preventing header: so does a hit.
    const bare = await fetch(url);
    expect(bare.status).toBe(400);
  });

  it("never caches mutations, answers with errors, or fields without a hint", async () => {
    const me = /* GraphQL */ `query { me { id displayName } }`;
    await ask(stack, me, {}, { token: buyer.token });
    const again = await ask(stack, me, {}, { token: buyer.token });
    expect(again.body.data.me.id).toBe(buyer.id);
    expect(hit(again)).toBe(false);
    expect(again.headers.get("cache-control")).toBe("no-store");

    const tooMany = /* GraphQL */ `query { listings(first: 5000) { totalCount } }`;
    expect((await ask(stack, tooMany)).body.errors?.length).toBeGreaterThan(0);
    const error = await ask(stack, tooMany);
    expect(error.body.errors?.length).toBeGreaterThan(0);
    expect(hit(error)).toBe(false);

    const mutation = /* GraphQL */ `mutation ($id: ID!) { recordListingView(id: $id) { id } }`;
    const id = await createListing(stack, seller);
    await ask(stack, mutation, { id });
    expect(hit(await ask(stack, mutation, { id }))).toBe(false);
  });

  it("keeps a signed-in viewer's answers for that viewer alone", async () => {
    const id = await createListing(stack, seller);
    const page = /* GraphQL */ `query ($id: ID!) { listing(id: $id) { id isFavorite isMine favoriteCount } }`;
    const favourite = await ask(stack, `mutation ($id: ID!) { addFavorite(listingId: $id) { id } }`, { id }, { token: buyer.token });
    expect(favourite.body.errors).toBeUndefined();

    const buyers = await cached(stack, page, { id }, { token: buyer.token });
    expect(buyers.body.data.listing).toMatchObject({ isFavorite: true, isMine: false });
    expect(buyers.headers.get("cache-control")).toMatch(/^private, /);

    const sellers = await ask(stack, page, { id }, { token: seller.token });
    expect(hit(sellers)).toBe(false);
    expect(sellers.body.data.listing).toMatchObject({ isFavorite: false, isMine: true });
    const anonymous = await ask(stack, page, { id });
    expect(hit(anonymous)).toBe(false);
    expect(anonymous.body.data.listing).toMatchObject({ isFavorite: false, isMine: false });
    // And the anonymous answer, now cached, reaches no signed-in viewer.
    const buyerAgain = await ask(stack, page, { id }, { token: buyer.token });
    expect(buyerAgain.body.data.listing.isFavorite).toBe(true);
  });

  it("purges a listing's pages when it is edited, sold or deleted, and browse pages when listings come and go", async () => {
    const id = await createListing(stack, seller);
    await cached(stack, LISTING_PAGE, { id });
    const browsed = await cached(stack, BROWSE);
    expect(browsed.body.data.listings.edges.map((e: any) => e.node.id)).toContain(id);

    const edit = await ask(stack, `mutation ($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { id } }`, { id, input: { title: "Dacia Logan 2016 — preț redus" } }, { token: seller.token });
    expect(edit.body.errors).toBeUndefined();
    const edited = await ask(stack, LISTING_PAGE, { id });
    expect(hit(edited)).toBe(false);
    expect(edited.body.data.listing.title).toBe("Dacia Logan 2016 — preț redus");
    const browseAfterEdit = await ask(stack, BROWSE);
    expect(hit(browseAfterEdit)).toBe(false);
    expect(browseAfterEdit.body.data.listings.edges.find((e: any) => e.node.id === id).node.title).toBe("Dacia Logan 2016 — preț redus");

    // A new listing appears in a cached browse page at once, and in its total.
    await cached(stack, BROWSE);
    const before = (await ask(stack, BROWSE)).body.data.listings.totalCount;
    const added = await createListing(stack, seller, { title: "Anunț nou apărut după cache" });
    const afterPublish = await ask(stack, BROWSE);
    expect(hit(afterPublish)).toBe(false);
    expect(afterPublish.body.data.listings.totalCount).toBe(before + 1);
    expect(afterPublish.body.data.listings.edges.map((e: any) => e.node.id)).toContain(added);

    await cached(stack, LISTING_PAGE, { id });
    const sold = await ask(stack, `mutation ($id: ID!) { markListingSold(id: $id) { id } }`, { id }, { token: seller.token });
    expect(sold.body.errors).toBeUndefined();
    const afterSale = await ask(stack, LISTING_PAGE, { id });
    expect(afterSale.body.data.listing.status).toBe("SOLD");

    await cached(stack, LISTING_PAGE, { id: added });
    await cached(stack, BROWSE);
    const deleted = await ask(stack, `mutation ($id: ID!) { deleteListing(id: $id) { id } }`, { id: added }, { token: seller.token });
    expect(deleted.body.errors).toBeUndefined();
    expect((await ask(stack, LISTING_PAGE, { id: added })).body.data.listing).toBeNull();
    expect((await ask(stack, BROWSE)).body.data.listings.edges.map((e: any) => e.node.id)).not.toContain(added);
  });

  it("purges a cached 'not found' when the listing appears", async () => {
    const id = await createListing(stack, seller, { title: "Ciornă publicată mai târziu" }, false);
    const hidden = await cached(stack, LISTING_PAGE, { id });
    expect(hidden.body.data.listing).toBeNull();
    const published = await ask(stack, `mutation ($id: ID!) { publishListing(id: $id) { id } }`, { id }, { token: seller.token });
    expect(published.body.errors).toBeUndefined();
    const shown = await ask(stack, LISTING_PAGE, { id });
    expect(hit(shown)).toBe(false);
    expect(shown.body.data.listing.id).toBe(id);
  });

  it("purges on a favourite (the count changes) and on the seller's rename (shown on their listings)", async () => {
    const id = await createListing(stack, seller);
    const before = await cached(stack, LISTING_PAGE, { id });
    expect(before.body.data.listing.favoriteCount).toBe(0);
    await ask(stack, `mutation ($id: ID!) { addFavorite(listingId: $id) { id } }`, { id }, { token: buyer.token });
    const favourited = await ask(stack, LISTING_PAGE, { id });
    expect(hit(favourited)).toBe(false);
    expect(favourited.body.data.listing.favoriteCount).toBe(1);

    await cached(stack, LISTING_PAGE, { id });
    const renamed = await ask(stack, `mutation { updateProfile(input: { displayName: "Vânzător Redenumit" }) { id } }`, {}, { token: seller.token });
    expect(renamed.body.errors).toBeUndefined();
    const afterRename = await ask(stack, LISTING_PAGE, { id });
    expect(afterRename.body.data.listing.seller.displayName).toBe("Vânzător Redenumit");
  });

  it("purges an answer whose listings it could not name (no id selected) on any listing's change", async () => {
    const id = await createListing(stack, seller, { title: "Anunț fără id în interogare" });
    const titles = /* GraphQL */ `query ($id: ID!) { listing(id: $id) { title favoriteCount } }`;
    await cached(stack, titles, { id });
    await ask(stack, `mutation ($id: ID!) { addFavorite(listingId: $id) { id } }`, { id }, { token: buyer.token });
    const after = await ask(stack, titles, { id });
    expect(hit(after)).toBe(false);
    expect(after.body.data.listing.favoriteCount).toBe(1);
  });

  it("lets an admin bypass the cache with Cache-Control: no-cache, and no one else", async () => {
    const admin = await signUpAdmin(stack);
    const id = await createListing(stack, seller);
    await cached(stack, LISTING_PAGE, { id }, { token: admin.token });
    const bypassed = await ask(stack, LISTING_PAGE, { id }, { token: admin.token, headers: { "cache-control": "no-cache" } });
    expect(hit(bypassed)).toBe(false);
    // Executed and kept again (the listing itself may come from the subgraph's memory: no SQL needed).
    expect(bypassed.headers.get("cache-status")).toMatch(/fwd=miss; stored/);

    await cached(stack, LISTING_PAGE, { id }, { token: buyer.token });
    const refused = await ask(stack, LISTING_PAGE, { id }, { token: buyer.token, headers: { "cache-control": "no-cache" } });
    expect(hit(refused)).toBe(true);
  });

  it("reports hits, misses, purges and its size in /metrics", async () => {
    const metrics = await (await fetch(stack.url.replace("/graphql", "/metrics"))).text();
    const value = (pattern: RegExp) => Number(metrics.match(pattern)?.[1] ?? NaN);
    expect(value(/piata_response_cache_total\{event="hits"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/piata_response_cache_total\{event="misses"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/piata_response_cache_total\{event="purged"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/piata_response_cache_size\{unit="bytes"\} (\d+)/)).toBeGreaterThan(0);
  });
});

describeStack(`response cache across a restart (${backend})`, () => {
  // Two starts of the embedded database: a minute each on a loaded machine.
  it("starts empty: what changed while it was down is served fresh", { timeout: 240_000 }, async () => {
    const stack = await startStack();
    try {
      const seller = await signUp(stack);
      const id = await createListing(stack, seller, carListingInput({ title: "Titlu înainte de repornire" }));
      await cached(stack, LISTING_PAGE, { id });
      await stack.app.stop();
      // Changed behind the gateway's back (while it was down): only a fresh cache can show it.
      await stack.restart();
      await stack.app.db.prisma.listing.update({ where: { id }, data: { title: "Titlu după repornire" } });
      const answer = await ask(stack, LISTING_PAGE, { id });
      expect(hit(answer)).toBe(false);
      expect(answer.body.data.listing.title).toBe("Titlu după repornire");
    } finally {
      await stack.stop();
    }
  });
});

const redisUnavailable = await redisUnavailableFor("the response cache's purges between gateways");

describe.skipIf(!!redisUnavailable || backend !== "postgres")("response cache: two gateways purge each other through Redis", () => {
  let one: Stack;
  let two: Stack;

  beforeAll(async () => {
    one = await startStack({ REDIS_URL });
    two = await startStack({ REDIS_URL, DATABASE_URL: one.databaseUrl! });
  });
  afterAll(async () => {
    await two?.stop();
    await one?.stop();
  });

  it("a change made through one gateway purges the other's cached answers within a second", async () => {
    const seller = await signUp(one, "Vânzător Doi Gateway");
    const id = await createListing(one, seller);
    await cached(one, LISTING_PAGE, { id });
    await cached(two, LISTING_PAGE, { id });
    const edit = await ask(two, `mutation ($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { id } }`, { id, input: { title: "Schimbat prin gateway-ul doi" } }, { token: seller.token });
    expect(edit.body.errors).toBeUndefined();
    const deadline = Date.now() + 1000;
    let seen: Answer;
    do {
      seen = await ask(one, LISTING_PAGE, { id });
    } while (seen.body.data.listing.title !== "Schimbat prin gateway-ul doi" && Date.now() < deadline);
    expect(seen.body.data.listing.title).toBe("Schimbat prin gateway-ul doi");
    expect(hit(seen)).toBe(false);
  });

  it("shares answers through Redis: what one gateway stored is a hit on the other, until a change purges it", async () => {
    const seller = await signUp(one, "Vânzător Redis Comun");
    const id = await createListing(one, seller);
    const stored = await ask(one, LISTING_PAGE, { id });
    expect(stored.headers.get("cache-status")).toMatch(/fwd=miss; stored/);
    // Stored in Redis after the answer went out: wait until the other gateway sees it.
    let shared: Answer;
    const until = Date.now() + 2000;
    do shared = await ask(two, LISTING_PAGE, { id });
    while (!hit(shared) && Date.now() < until);
    expect(shared.headers.get("cache-status")).toMatch(/; hit; .*detail=redis/);
    expect(sql(shared)).toBe(0);
    expect(shared.body).toEqual(stored.body);
    expect(shared.headers.get("etag")).toBe(stored.headers.get("etag"));
    // Now in gateway two's own memory too.
    expect((await ask(two, LISTING_PAGE, { id })).headers.get("cache-status")).not.toMatch(/detail=redis/);

    const edit = await ask(one, `mutation ($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { id } }`, { id, input: { title: "Schimbat, citit din Redis" } }, { token: seller.token });
    expect(edit.body.errors).toBeUndefined();
    // Gateway one purged Redis at once: its own next read (a local miss) finds nothing there either.
    const mine = await ask(one, LISTING_PAGE, { id });
    expect(hit(mine)).toBe(false);
    expect(mine.body.data.listing.title).toBe("Schimbat, citit din Redis");
    const deadline = Date.now() + 1000;
    let seen: Answer;
    do seen = await ask(two, LISTING_PAGE, { id });
    while (seen.body.data.listing.title !== "Schimbat, citit din Redis" && Date.now() < deadline);
    expect(seen.body.data.listing.title).toBe("Schimbat, citit din Redis");
  });

  it("counts hits from Redis in /metrics", async () => {
    const metrics = await (await fetch(two.url.replace(/\/graphql$/, "/metrics"))).text();
    expect(Number(/piata_response_cache_total\{event="shared_hits"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/piata_response_cache_total\{event="redis_errors"\} 0/);
  });
});
