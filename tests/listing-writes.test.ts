/**
 * Writes that must be safe to retry or to race: idempotency keys, versioned edits, one view per viewer
 * and day, no favourite of one's own listing.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Catalog } from "../subgraphs/listings/catalog/catalog.ts";
import { ListingsService } from "../subgraphs/listings/listings.service.ts";
import { codes } from "./utils/client.ts";
import { carListingInput, createListing, signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

// Services built outside a subgraph in these tests publish no cache purges.
const noEvents = { onCollectionChanged: () => () => {}, onListingsChanged: () => () => {}, changed: async () => {} } as never;

const CREATE = `mutation ($input: CreateListingInput!, $key: String) {
  createListing(input: $input, idempotencyKey: $key) { id title version }
}`;
const REPORT = `mutation ($id: ID!, $text: String!, $key: String) {
  reportListing(listingId: $id, reason: SPAM, text: $text, idempotencyKey: $key) { id reason text }
}`;
const UPDATE = `mutation ($id: ID!, $input: UpdateListingInput!, $v: Int) {
  updateListing(id: $id, input: $input, expectedVersion: $v) { id title version }
}`;
const VIEW = `mutation ($id: ID!) { recordListingView(id: $id) { viewCount } }`;
const MY_LISTINGS = `{ myListings(first: 50) { totalCount edges { node { id } } } }`;

const newKey = () => crypto.randomUUID();

describeStack("listing writes", () => {
  let stack: Stack;
  let seller: TestUser;
  let buyer: TestUser;

  beforeAll(async () => {
    stack = await startStack();
    [seller, buyer] = await Promise.all([signUp(stack, "Vasile Pop"), signUp(stack, "Maria Dan")]);
  });
  afterAll(() => stack?.stop());

  const myListingCount = async (user: TestUser) =>
    (await stack.request(MY_LISTINGS, {}, { token: user.token })).data.myListings.totalCount as number;

  it("returns the first listing when a create is retried with its key", async () => {
    const user = await signUp(stack);
    const key = newKey();
    const first = await stack.request(CREATE, { input: carListingInput(), key }, { token: user.token });
    const retry = await stack.request(CREATE, { input: carListingInput(), key }, { token: user.token });
    expect(first.errors).toBeUndefined();
    expect(retry.errors).toBeUndefined();
    expect(retry.data.createListing.id).toBe(first.data.createListing.id);
    expect(await myListingCount(user)).toBe(1);
    // Without a key every call creates, as before.
    await stack.request(CREATE, { input: carListingInput() }, { token: user.token });
    expect(await myListingCount(user)).toBe(2);
  });

  it("creates one listing when two requests with the same key arrive at once", async () => {
    const user = await signUp(stack);
    const key = newKey();
    const results = await Promise.all(
      [1, 2, 3].map(() => stack.request(CREATE, { input: carListingInput(), key }, { token: user.token })),
    );
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(new Set(results.map((r) => r.data.createListing.id)).size).toBe(1);
    expect(await myListingCount(user)).toBe(1);
  });

  it("refuses the same key with another input, and an ill-formed key, and writes nothing", async () => {
    const user = await signUp(stack);
    const key = newKey();
    await stack.request(CREATE, { input: carListingInput(), key }, { token: user.token });
    const other = await stack.request(CREATE, { input: carListingInput({ title: "Dacia Logan 1.4 MPI 2012, benzină" }), key }, { token: user.token });
    expect(codes(other)).toEqual(["CONFLICT"]);
    for (const bad of ["scurt", "cheie cu spații 123", "x".repeat(129)]) {
      const r = await stack.request(CREATE, { input: carListingInput(), key: bad }, { token: user.token });
      expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
      expect(r.errors![0]!.extensions!.fields.map((f: { field: string }) => f.field)).toEqual(["idempotencyKey"]);
    }
    expect(await myListingCount(user)).toBe(1);
  });

  it("keeps keys per user and per operation", async () => {
    const [a, b] = await Promise.all([signUp(stack), signUp(stack)]);
    const key = newKey();
    const byA = await stack.request(CREATE, { input: carListingInput(), key }, { token: a.token });
    const byB = await stack.request(CREATE, { input: carListingInput(), key }, { token: b.token });
    expect(byB.errors).toBeUndefined();
    expect(byB.data.createListing.id).not.toBe(byA.data.createListing.id);
    const listing = await createListing(stack, seller);
    const report = await stack.request(REPORT, { id: listing, text: "Anunț duplicat, apare de trei ori.", key }, { token: a.token });
    expect(report.errors).toBeUndefined();
  });

  it("ignores a key older than 24 hours, and the sweep purges it", async () => {
    const user = await signUp(stack);
    const key = newKey();
    const first = await stack.request(CREATE, { input: carListingInput(), key }, { token: user.token });
    const prisma = stack.app.db.prisma;
    await prisma.idempotentRequest.updateMany({ where: { userId: user.id, key }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    const later = await stack.request(CREATE, { input: carListingInput(), key }, { token: user.token });
    expect(later.errors).toBeUndefined();
    expect(later.data.createListing.id).not.toBe(first.data.createListing.id);
    expect(await myListingCount(user)).toBe(2);

    await prisma.idempotentRequest.updateMany({ where: { userId: user.id, key }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    const service = new ListingsService(prisma, new Catalog(), { listingTtlDays: 30, eurRonRate: 4.97 }, { enabled: false } as never, {} as never, noEvents);
    expect((await service.purgeStale()).keys).toBeGreaterThanOrEqual(1);
    expect(await prisma.idempotentRequest.count({ where: { userId: user.id, key } })).toBe(0);
  });

  it("returns the first report when a report is retried with its key, also when two arrive at once", async () => {
    const listing = await createListing(stack, seller);
    const key = newKey();
    const variables = { id: listing, text: "Prețul e prea mic, pare o țeapă.", key };
    const first = await stack.request(REPORT, variables, { token: buyer.token });
    const retry = await stack.request(REPORT, variables, { token: buyer.token });
    expect(first.errors).toBeUndefined();
    expect(retry.data.reportListing).toEqual(first.data.reportListing);
    // Another action (a new key) is still the second report of the same listing.
    expect(codes(await stack.request(REPORT, { ...variables, key: newKey() }, { token: buyer.token }))).toEqual(["CONFLICT"]);
    expect(codes(await stack.request(REPORT, { ...variables, text: "Alt text, destul de lung." }, { token: buyer.token }))).toEqual(["CONFLICT"]);

    const other = await createListing(stack, seller);
    const otherKey = newKey();
    const together = await Promise.all(
      [1, 2].map(() => stack.request(REPORT, { id: other, text: "Anunț duplicat, apare de trei ori.", key: otherKey }, { token: buyer.token })),
    );
    expect(together.map((r) => r.errors)).toEqual([undefined, undefined]);
    expect(together[0]!.data.reportListing.id).toBe(together[1]!.data.reportListing.id);
    expect(await stack.app.db.prisma.listingReport.count({ where: { listingId: { in: [listing, other] } } })).toBe(2);
  });

  it("refuses an edit based on a stale version and keeps the listing as it was", async () => {
    const id = await createListing(stack, seller);
    const first = await stack.request(UPDATE, { id, input: { title: "Dacia Logan 2016, preț negociabil" }, v: 1 }, { token: seller.token });
    expect(first.data.updateListing).toMatchObject({ title: "Dacia Logan 2016, preț negociabil", version: 2 });

    const stale = await stack.request(UPDATE, { id, input: { title: "Titlu dintr-un tab vechi, suprascris" }, v: 1 }, { token: seller.token });
    expect(codes(stale)).toEqual(["CONFLICT"]);
    expect(stale.errors![0]!.message).toMatch(/modificat între timp/);
    const row = await stack.app.db.prisma.listing.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ title: "Dacia Logan 2016, preț negociabil", version: 2 });

    const current = await stack.request(UPDATE, { id, input: { negotiable: false }, v: 2 }, { token: seller.token });
    expect(current.data.updateListing.version).toBe(3);
    // Without expectedVersion an edit is written as before, and still counts as a version.
    const unversioned = await stack.request(UPDATE, { id, input: { title: "Dacia Logan 2016, fără negociere" } }, { token: seller.token });
    expect(unversioned.data.updateListing).toMatchObject({ title: "Dacia Logan 2016, fără negociere", version: 4 });
  });

  it("lets only one of two edits based on the same version win", async () => {
    const id = await createListing(stack, seller);
    const titles = ["Dacia Logan 2016, varianta din primul tab", "Dacia Logan 2016, varianta din al doilea tab"];
    const results = await Promise.all(titles.map((title) => stack.request(UPDATE, { id, input: { title }, v: 1 }, { token: seller.token })));
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(results.flatMap(codes)).toEqual(["CONFLICT"]);
    const row = await stack.app.db.prisma.listing.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ title: won[0]!.data.updateListing.title, version: 2 });
  });

  it("counts one view per viewer and day, by user when signed in and by address otherwise", async () => {
    const id = await createListing(stack, seller);
    const other = await signUp(stack);
    const view = async (user?: TestUser) =>
      (await stack.request(VIEW, { id }, user ? { token: user.token } : {})).data.recordListingView.viewCount as number;
    expect(await view(buyer)).toBe(1);
    expect(await view(buyer)).toBe(1);
    expect(await view(other)).toBe(2);
    expect(await view()).toBe(3);
    expect(await view()).toBe(3);
    expect(await view(seller)).toBe(3);
    const rows = await stack.app.db.prisma.listingView.findMany({ where: { listingId: id } });
    expect(rows).toHaveLength(3);
    // No raw address is stored for the anonymous viewer.
    expect(rows.map((r) => r.viewerKey).join(" ")).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it("counts concurrent views of the same viewer once", async () => {
    const id = await createListing(stack, seller);
    await Promise.all([1, 2, 3, 4].map(() => stack.request(VIEW, { id }, { token: buyer.token })));
    expect((await stack.app.db.prisma.listing.findUniqueOrThrow({ where: { id } })).viewCount).toBe(1);
  });

  it("purges view rows of past days in the sweep", async () => {
    const id = await createListing(stack, seller);
    const prisma = stack.app.db.prisma;
    await prisma.listingView.create({ data: { listingId: id, viewerKey: "user:old", day: new Date(Date.now() - 10 * 86_400_000) } });
    await stack.request(VIEW, { id }, { token: buyer.token });
    const service = new ListingsService(prisma, new Catalog(), { listingTtlDays: 30, eurRonRate: 4.97 }, { enabled: false } as never, {} as never, noEvents);
    await service.purgeStale();
    expect((await prisma.listingView.findMany({ where: { listingId: id } })).map((r) => r.viewerKey)).toEqual([`user:${buyer.id}`]);
  });

  it("refuses a favourite of one's own listing", async () => {
    const id = await createListing(stack, seller);
    const r = await stack.request(`mutation ($id: ID!) { addFavorite(listingId: $id) { id } }`, { id }, { token: seller.token });
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
    expect(r.errors![0]!.extensions!.fields).toEqual([expect.objectContaining({ field: "listingId", reason: "NOT_ALLOWED" })]);
    expect(await stack.app.db.prisma.favorite.count({ where: { listingId: id } })).toBe(0);
  });
});
