/**
 * Saved searches and their alerts through the gateway: saving (checked as search is), a live
 * `savedSearchMatched` event over graphql-ws with listings' fields resolved by the listings subgraph,
 * once per search and listing, never for one's own listings, batched when many match at once, and the
 * stored alerts.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { codes } from "./utils/client.ts";
import { carListingInput, createListing, signUp, type TestUser } from "./utils/fixtures.ts";
import { socketClient, subscribeTo } from "./utils/sockets.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const SAVE = `mutation ($name: String!, $query: String, $filter: SearchFilter) {
  saveSearch(name: $name, query: $query, filter: $filter) { id name query filter unseenAlertCount }
}`;
const SAVED = `{ savedSearches { id name unseenAlertCount } }`;
const DELETE = `mutation ($id: ID!) { deleteSavedSearch(id: $id) }`;
const ALERTS = `query ($first: Int, $after: String) {
  searchAlerts(first: $first, after: $after) {
    totalCount unseenCount pageInfo { hasNextPage endCursor }
    edges { node { id seen savedSearch { id name } listing { id title } } }
  }
}`;
const SEEN = `mutation { markSearchAlertsSeen }`;
const MATCHED = `subscription { savedSearchMatched { savedSearch { id name } listings { id title price { formatted } } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { id } }`;

const bike = (title: string, city = "Cluj-Napoca") =>
  carListingInput({
    categoryId: "801",
    title,
    description: `${title}. Bicicleta a fost folosită puțin, are revizia făcută și se poate vedea oricând în weekend.`,
    price: { amount: 90_000, currency: "RON" },
    county: "CJ",
    city,
    attributes: { bikeType: "mtb" },
  });

describeStack("saved searches and alerts", () => {
  let stack: Stack;
  let buyer: TestUser;
  let seller: TestUser;
  const clients: ReturnType<typeof socketClient>[] = [];

  beforeAll(async () => {
    stack = await startStack({ SEARCH_ALERTS_INTERVAL_MS: "100" });
    [buyer, seller] = await Promise.all([signUp(stack, "Maria Cumpărătoarea"), signUp(stack, "Vasile Vânzătorul")]);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await stack?.stop();
  });

  const as = (user: TestUser, query: string, variables: Record<string, unknown> = {}) => stack.request(query, variables, { token: user.token });
  const subscribe = (user: TestUser) => {
    const client = socketClient(stack.url, user.token);
    clients.push(client);
    return subscribeTo(client, MATCHED);
  };
  const settle = () => new Promise((r) => setTimeout(r, 150));

  it("saves a search as search checks it, and refuses what search refuses, storing nothing", async () => {
    const saved = await as(buyer, SAVE, { name: "  Biciclete Cluj ", query: "bicicleta", filter: { county: "CJ", categorySlug: "biciclete" } });
    expect(saved.errors).toBeUndefined();
    expect(saved.data.saveSearch).toMatchObject({ name: "Biciclete Cluj", query: "bicicleta", filter: { county: "CJ", categorySlug: "biciclete" }, unseenAlertCount: 0 });
    for (const [variables, field] of [
      [{ name: "", query: "x" }, "name"],
      [{ name: "x".repeat(61) }, "name"],
      [{ name: "Rău", filter: { categoryId: "999999" } }, "filter.categoryId"],
      [{ name: "Rău", query: "a".repeat(5_000) }, "query"],
      [{ name: "Rău", filter: { near: { radiusKm: 10 } } }, "filter.near"],
    ] as const) {
      const r = await as(buyer, SAVE, variables);
      expect(codes(r), field).toEqual(["BAD_USER_INPUT"]);
      expect(r.errors![0]!.extensions!.fields).toEqual([expect.objectContaining({ field })]);
    }
    expect(codes(await stack.request(SAVE, { name: "Anonim" }))).toEqual(["UNAUTHENTICATED"]);
    const list = await as(buyer, SAVED);
    expect(list.data.savedSearches).toEqual([expect.objectContaining({ name: "Biciclete Cluj" })]);
  });

  it("tells the owner live of a matching listing, with the listing's fields, once, never for their own", async () => {
    const events = subscribe(buyer);
    await settle();
    const match = await createListing(stack, seller, bike("Bicicletă MTB Rockrider 27.5, stare foarte bună"));
    const event = await events.next(5_000);
    expect(event.errors).toBeUndefined();
    expect(event.data!.savedSearchMatched).toEqual({
      savedSearch: { id: expect.any(String), name: "Biciclete Cluj" },
      listings: [{ id: match, title: "Bicicletă MTB Rockrider 27.5, stare foarte bună", price: { formatted: "900 lei" } }],
    });

    // Not a match: a car; a bike in another county; the owner's own bike.
    await createListing(stack, seller);
    await createListing(stack, seller, { ...bike("Bicicletă de oraș cu coș, ca nouă"), county: "B", city: "București" });
    await createListing(stack, buyer, bike("Bicicletă pentru copii, roți de 20 inch"));
    // An edit of the matching listing: it was already found for this search.
    expect((await as(seller, UPDATE, { id: match, input: { title: "Bicicletă MTB Rockrider 27.5, revizie făcută" } })).errors).toBeUndefined();
    await expect(events.next(1_500)).rejects.toThrow(/no event/);

    const alerts = await as(buyer, ALERTS);
    expect(alerts.data.searchAlerts).toMatchObject({ totalCount: 1, unseenCount: 1, edges: [{ node: { seen: false, listing: { id: match }, savedSearch: { name: "Biciclete Cluj" } } }] });
    expect((await as(seller, ALERTS)).data.searchAlerts.totalCount).toBe(0);
    events.close();
  });

  it("finds a listing edited into a match", async () => {
    const events = subscribe(buyer);
    await settle();
    const other = await createListing(stack, seller, { ...bike("Cursieră de șosea din aluminiu, 18 viteze"), county: "B", city: "București" });
    await expect(events.next(1_000)).rejects.toThrow(/no event/);
    // The seller moves to Cluj: now in the saved search's county.
    const edited = await as(seller, UPDATE, { id: other, input: { county: "CJ", city: "Turda" } });
    expect(edited.errors).toBeUndefined();
    expect((await events.next(5_000)).data!.savedSearchMatched.listings).toEqual([expect.objectContaining({ id: other })]);
    events.close();
  });

  it("batches listings that match at once into one event", async () => {
    const events = subscribe(buyer);
    await settle();
    const drafts = [];
    for (const title of ["Bicicletă Cube Aim, cadru M", "Bicicletă Merida Big Nine, roți 29", "Bicicletă Kross Hexagon, 21 viteze"]) {
      drafts.push(await createListing(stack, seller, bike(title), false));
    }
    // One statement publishes the three (as a moderation pass approving many would): one event.
    const now = new Date();
    await stack.app.db.prisma.listing.updateMany({
      where: { id: { in: drafts } },
      data: { status: "ACTIVE", publishedAt: now, expiresAt: new Date(now.getTime() + 30 * 86_400_000) },
    });
    const event = await events.next(5_000);
    expect(event.data!.savedSearchMatched.listings.map((l: { id: string }) => l.id).sort()).toEqual([...drafts].sort());
    await expect(events.next(1_000)).rejects.toThrow(/no event/);
    events.close();
  });

  it("pages alerts, counts and marks them seen; a deleted search takes its alerts along", async () => {
    const first = await as(buyer, ALERTS, { first: 2 });
    expect(first.data.searchAlerts).toMatchObject({ totalCount: 5, unseenCount: 5, pageInfo: { hasNextPage: true } });
    const rest = await as(buyer, ALERTS, { first: 10, after: first.data.searchAlerts.pageInfo.endCursor });
    const ids = [...first.data.searchAlerts.edges, ...rest.data.searchAlerts.edges].map((e: { node: { id: string } }) => e.node.id);
    expect(new Set(ids).size).toBe(5);
    expect((await as(buyer, SAVED)).data.savedSearches[0].unseenAlertCount).toBe(5);
    expect((await as(buyer, SEEN)).data.markSearchAlertsSeen).toBe(5);
    expect((await as(buyer, SEEN)).data.markSearchAlertsSeen).toBe(0);
    expect((await as(buyer, ALERTS)).data.searchAlerts).toMatchObject({ totalCount: 5, unseenCount: 0 });

    const [search] = (await as(buyer, SAVED)).data.savedSearches;
    expect(codes(await as(seller, DELETE, { id: search.id }))).toEqual(["NOT_FOUND"]);
    expect((await as(buyer, DELETE, { id: search.id })).data.deleteSavedSearch).toBe(search.id);
    expect((await as(buyer, SAVED)).data.savedSearches).toEqual([]);
    expect((await as(buyer, ALERTS)).data.searchAlerts.totalCount).toBe(0);
    expect(codes(await as(buyer, DELETE, { id: search.id }))).toEqual(["NOT_FOUND"]);
  });

  it("keeps at most 50 saved searches a user", async () => {
    for (let i = 0; i < 50; i++) expect((await as(seller, SAVE, { name: `Căutarea ${i}`, query: `dacia ${i}` })).errors).toBeUndefined();
    const refused = await as(seller, SAVE, { name: "A 51-a" });
    expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
    expect((await as(seller, SAVED)).data.savedSearches).toHaveLength(50);
  });
});
