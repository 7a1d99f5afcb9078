import { afterAll, beforeAll, expect, it } from "vitest";
import { codes } from "./utils/client.ts";
import { carListingInput, createListing, signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const LISTING = `query ($id: ID!) { listing(id: $id) {
  id title status price { amount currency formatted } negotiable condition
  location { county { code name } city } category { id slug name path { slug } }
  attributes { key label value valueLabel unit } attributeValues
  seller { id } isMine viewCount favoriteCount isFavorite publishedAt expiresAt soldAt
} }`;
const CREATE = `mutation ($input: CreateListingInput!) { createListing(input: $input) { id status title } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { id title price { amount currency } } }`;

describeStack("listings", () => {
  let stack: Stack;
  let seller: TestUser;
  let buyer: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    stack = await startStack();
    [seller, buyer, admin] = await Promise.all([signUp(stack, "Vasile Pop"), signUp(stack, "Maria Dan"), signUpAdmin(stack)]);
  });
  afterAll(() => stack?.stop());

  it("creates a draft, visible to its seller only, then publishes it for 30 days", async () => {
    const id = await createListing(stack, seller, {}, false);
    const own = await stack.request(LISTING, { id }, { token: seller.token });
    expect(own.data.listing).toMatchObject({
      status: "DRAFT",
      price: { amount: 450_000, currency: "EUR", formatted: "4.500 €" },
      location: { county: { code: "CJ", name: "Cluj" }, city: "Cluj-Napoca" },
      category: { id: "101", slug: "autoturisme" },
      isMine: true,
      seller: { id: seller.id },
    });
    expect(own.data.listing.category.path.map((c: any) => c.slug)).toEqual(["auto-moto-ambarcatiuni", "autoturisme"]);
    expect(own.data.listing.attributes).toContainEqual(expect.objectContaining({ key: "km", value: "148000", unit: "km" }));
    expect((await stack.request(LISTING, { id }, { token: buyer.token })).data.listing).toBeNull();
    expect((await stack.request(LISTING, { id })).data.listing).toBeNull();

    const published = await stack.request(`mutation ($id: ID!) { publishListing(id: $id) { status publishedAt expiresAt } }`, { id }, { token: seller.token });
    const { publishedAt, expiresAt } = published.data.publishListing;
    expect(published.data.publishListing.status).toBe("ACTIVE");
    expect(Date.parse(expiresAt) - Date.parse(publishedAt)).toBe(30 * 86_400_000);
    expect((await stack.request(LISTING, { id })).data.listing.status).toBe("ACTIVE");
    const again = await stack.request(`mutation ($id: ID!) { publishListing(id: $id) { status } }`, { id }, { token: seller.token });
    expect(codes(again)).toEqual(["CONFLICT"]);
  });

  it("lets only the seller or an admin change a listing", async () => {
    const id = await createListing(stack, seller);
    const byBuyer = await stack.request(UPDATE, { id, input: { title: "Titlu schimbat de altcineva 123" } }, { token: buyer.token });
    expect(codes(byBuyer)).toEqual(["FORBIDDEN"]);
    const anonymous = await stack.request(UPDATE, { id, input: { title: "Titlu schimbat de altcineva 123" } });
    expect(codes(anonymous)).toEqual(["UNAUTHENTICATED"]);
    for (const m of ["markListingSold", "deleteListing", "renewListing"]) {
      expect(codes(await stack.request(`mutation ($id: ID!) { ${m}(id: $id) { id } }`, { id }, { token: buyer.token }))).toEqual(["FORBIDDEN"]);
    }
    expect((await stack.request(LISTING, { id })).data.listing.title).toBe(carListingInput().title);

    const bySeller = await stack.request(UPDATE, { id, input: { title: "Dacia Logan 2016, preț negociabil", price: { amount: 420_000, currency: "EUR" } } }, { token: seller.token });
    expect(bySeller.data.updateListing).toMatchObject({ title: "Dacia Logan 2016, preț negociabil", price: { amount: 420_000 } });
    const byAdmin = await stack.request(UPDATE, { id, input: { title: "Dacia Logan 2016 (corectat de admin)" } }, { token: admin.token });
    expect(byAdmin.errors).toBeUndefined();
  });

  it("follows the lifecycle: sold and deleted listings cannot be edited; deleted ones disappear", async () => {
    const id = await createListing(stack, seller);
    const sold = await stack.request(`mutation ($id: ID!) { markListingSold(id: $id) { status soldAt } }`, { id }, { token: seller.token });
    expect(sold.data.markListingSold.status).toBe("SOLD");
    expect(sold.data.markListingSold.soldAt).toBeTruthy();
    expect(codes(await stack.request(UPDATE, { id, input: { negotiable: false } }, { token: seller.token }))).toEqual(["CONFLICT"]);
    expect(codes(await stack.request(`mutation ($id: ID!) { renewListing(id: $id) { id } }`, { id }, { token: seller.token }))).toEqual(["CONFLICT"]);
    expect((await stack.request(LISTING, { id })).data.listing.status).toBe("SOLD");

    const deleted = await stack.request(`mutation ($id: ID!) { deleteListing(id: $id) { status } }`, { id }, { token: seller.token });
    expect(deleted.data.deleteListing.status).toBe("DELETED");
    expect((await stack.request(LISTING, { id })).data.listing).toBeNull();
    expect((await stack.request(LISTING, { id }, { token: seller.token })).data.listing).toBeNull();
    expect((await stack.request(LISTING, { id }, { token: admin.token })).data.listing.status).toBe("DELETED");
    // Soft delete: the row and its data are kept.
    expect(await stack.app.db.prisma.listing.count({ where: { id } })).toBe(1);
  });

  it("shows an active listing past its expiry as EXPIRED and lets the seller renew it", async () => {
    const id = await createListing(stack, seller);
    await stack.app.db.prisma.listing.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await stack.request(LISTING, { id })).data.listing.status).toBe("EXPIRED");
    const browse = await stack.request(`query ($s: ID!) { listings(filter: { sellerId: $s }, first: 100) { edges { node { id } } } }`, { s: seller.id });
    expect(browse.data.listings.edges.map((e: any) => e.node.id)).not.toContain(id);
    const renewed = await stack.request(`mutation ($id: ID!) { renewListing(id: $id) { status expiresAt } }`, { id }, { token: seller.token });
    expect(renewed.data.renewListing.status).toBe("ACTIVE");
    expect(Date.parse(renewed.data.renewListing.expiresAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });

  it.each([
    ["a short title", { title: "Prea scurt" }, "title"],
    ["a 10,000-character title", { title: "a".repeat(10_000) }, "title"],
    ["a short description", { description: "Scurt." }, "description"],
    ["a phone number in the description", { description: `${carListingInput().description} Sunați la 0722 123 456 oricând.` }, "description"],
    ["an e-mail in the title", { title: "Dacia Logan scrie-mi la ion@example.ro" }, "title"],
    ["a title in capitals", { title: "VAND DACIA LOGAN URGENT IEFTIN" }, "title"],
    ["a negative price", { price: { amount: -1, currency: "RON" } }, "price.amount"],
    ["an unknown category", { categoryId: "999999" }, "categoryId"],
    ["a top-level category", { categoryId: "1" }, "categoryId"],
    ["an unknown county", { county: "XX" }, "county"],
    ["a city of another county", { city: "Iași" }, "city"],
    ["a missing required attribute", { attributes: { make: "dacia", model: "Logan", year: 2016, fuel: "diesel" } }, "attributes.km"],
    ["an attribute of the wrong type", { attributes: { make: "dacia", model: "Logan", year: "2016", km: 1000, fuel: "diesel" } }, "attributes.year"],
    ["an attribute out of range", { attributes: { make: "dacia", model: "Logan", year: 1800, km: 1000, fuel: "diesel" } }, "attributes.year"],
    ["an unknown enum value", { attributes: { make: "trabant-x", model: "Logan", year: 2016, km: 1000, fuel: "diesel" } }, "attributes.make"],
    ["an unknown attribute", { attributes: { make: "dacia", model: "Logan", year: 2016, km: 1000, fuel: "diesel", wings: 2 } }, "attributes.wings"],
  ])("refuses %s and writes nothing", async (_, overrides, field) => {
    const before = await stack.app.db.prisma.listing.count();
    const r = await stack.request(CREATE, { input: carListingInput(overrides) }, { token: seller.token });
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
    const ext = r.errors![0]!.extensions!;
    const fields: string[] = ext.fields.map((f: any) => f.field);
    expect(fields).toContain(field);
    expect(await stack.app.db.prisma.listing.count()).toBe(before);
  });

  it("refuses an invalid update and keeps the listing as it was", async () => {
    const id = await createListing(stack, seller);
    const r = await stack.request(UPDATE, { id, input: { title: "x", price: { amount: 5, currency: "RON" } } }, { token: seller.token });
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
    const after = await stack.request(LISTING, { id });
    expect(after.data.listing).toMatchObject({ title: carListingInput().title, price: { amount: 450_000 } });
  });

  it("re-validates attributes when the category changes", async () => {
    const id = await createListing(stack, seller);
    const r = await stack.request(UPDATE, { id, input: { categoryId: "201" } }, { token: seller.token });
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
  });

  it("saves favorites once per user, counts them and lists them", async () => {
    const id = await createListing(stack, seller);
    const ADD = `mutation ($id: ID!) { addFavorite(listingId: $id) { id favoriteCount isFavorite } }`;
    expect((await stack.request(ADD, { id }, { token: buyer.token })).data.addFavorite).toEqual({ id, favoriteCount: 1, isFavorite: true });
    expect((await stack.request(ADD, { id }, { token: buyer.token })).data.addFavorite.favoriteCount).toBe(1);
    await stack.request(ADD, { id }, { token: admin.token });
    expect((await stack.request(LISTING, { id })).data.listing).toMatchObject({ favoriteCount: 2, isFavorite: false });
    const mine = await stack.request(`{ myFavorites(first: 10) { totalCount edges { node { id } } } }`, {}, { token: buyer.token });
    expect(mine.data.myFavorites.edges.map((e: any) => e.node.id)).toContain(id);
    const removed = await stack.request(`mutation ($id: ID!) { removeFavorite(listingId: $id) { favoriteCount isFavorite } }`, { id }, { token: buyer.token });
    expect(removed.data.removeFavorite).toEqual({ favoriteCount: 1, isFavorite: false });
    expect(codes(await stack.request(ADD, { id }))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await stack.request(ADD, { id: "00000000-0000-4000-8000-000000000000" }, { token: buyer.token }))).toEqual(["NOT_FOUND"]);
  });

  it("shows similar active listings of the same category, never the listing itself", async () => {
    const a = await createListing(stack, seller);
    const b = await createListing(stack, buyer);
    const phone = await createListing(stack, buyer, {
      categoryId: "401",
      title: "Telefon Samsung Galaxy, ca nou, cu cutie",
      attributes: { brand: "samsung" },
    });
    const r = await stack.request(`query ($id: ID!) { listing(id: $id) { similar(first: 20) { id category { id } status } } }`, { id: a });
    const similar = r.data.listing.similar;
    expect(similar.map((l: any) => l.id)).toContain(b);
    expect(similar.map((l: any) => l.id)).not.toContain(a);
    expect(similar.map((l: any) => l.id)).not.toContain(phone);
    expect(similar.every((l: any) => l.category.id === "101" && l.status === "ACTIVE")).toBe(true);
  });

  it("pages through my favorites, most recently saved first, without gaps", async () => {
    const user = await signUp(stack);
    const saved: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await createListing(stack, seller);
      await stack.request(`mutation ($id: ID!) { addFavorite(listingId: $id) { id } }`, { id }, { token: user.token });
      saved.unshift(id);
    }
    const PAGE = `query ($after: String) { myFavorites(first: 2, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await stack.request(PAGE, { after }, { token: user.token });
      expect(r.data.myFavorites.totalCount).toBe(5);
      seen.push(...r.data.myFavorites.edges.map((e: any) => e.node.id));
      if (!r.data.myFavorites.pageInfo.hasNextPage) break;
      after = r.data.myFavorites.pageInfo.endCursor;
    }
    expect(seen).toEqual(saved);
  });

  it("counts views of active listings, not the seller's own", async () => {
    const id = await createListing(stack, seller);
    const VIEW = `mutation ($id: ID!) { recordListingView(id: $id) { viewCount } }`;
    await stack.request(VIEW, { id });
    await stack.request(VIEW, { id }, { token: buyer.token });
    const own = await stack.request(VIEW, { id }, { token: seller.token });
    expect(own.data.recordListingView.viewCount).toBe(2);
  });

  it("takes one report per user and shows reports to admins only", async () => {
    const id = await createListing(stack, seller);
    const REPORT = `mutation ($id: ID!) { reportListing(listingId: $id, reason: FRAUD, text: "Prețul e prea mic, pare o țeapă.") { id reason } }`;
    expect((await stack.request(REPORT, { id }, { token: buyer.token })).data.reportListing.reason).toBe("FRAUD");
    expect(codes(await stack.request(REPORT, { id }, { token: buyer.token }))).toEqual(["CONFLICT"]);
    expect(codes(await stack.request(REPORT, { id }, { token: seller.token }))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await stack.request(REPORT, { id }))).toEqual(["UNAUTHENTICATED"]);

    const REPORTS = `{ listingReports(first: 10) { totalCount edges { node { reason text listing { id reportCount } reporter { id } } } } }`;
    expect(codes(await stack.request(REPORTS, {}, { token: buyer.token }))).toEqual(["FORBIDDEN"]);
    const asAdmin = await stack.request(REPORTS, {}, { token: admin.token });
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data.listingReports.edges[0].node).toMatchObject({ reason: "FRAUD", listing: { id, reportCount: 1 }, reporter: { id: buyer.id } });
    const count = await stack.request(`query ($id: ID!) { listing(id: $id) { reportCount } }`, { id }, { token: buyer.token });
    expect(codes(count)).toEqual(["FORBIDDEN"]);
  });

  it("lists my listings in every state but deleted", async () => {
    const user = await signUp(stack);
    const draft = await createListing(stack, user, {}, false);
    const active = await createListing(stack, user);
    const gone = await createListing(stack, user);
    await stack.request(`mutation ($id: ID!) { deleteListing(id: $id) { id } }`, { id: gone }, { token: user.token });
    const r = await stack.request(`{ myListings(first: 10) { totalCount edges { node { id status } } } }`, {}, { token: user.token });
    expect(r.data.myListings.totalCount).toBe(2);
    expect(r.data.myListings.edges.map((e: any) => e.node.id).sort()).toEqual([draft, active].sort());
    const drafts = await stack.request(`{ myListings(status: [DRAFT]) { edges { node { id } } } }`, {}, { token: user.token });
    expect(drafts.data.myListings.edges.map((e: any) => e.node.id)).toEqual([draft]);
  });

  it("serves the category tree with inherited attributes, and counties with cities", async () => {
    const r = await stack.request(`{
      categories { slug name children { id slug isLeaf } }
      category(slug: "autoturisme") { name parent { slug } attributes { key type required options { value } } }
      counties { code name }
      cities(county: "CJ")
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.categories.length).toBeGreaterThanOrEqual(9);
    expect(r.data.categories.map((c: any) => c.name)).toEqual(expect.arrayContaining(["Imobiliare"]));
    expect(r.data.category.attributes.map((a: any) => a.key)).toEqual(expect.arrayContaining(["make", "model", "year", "km", "fuel"]));
    expect(r.data.counties).toHaveLength(42);
    expect(r.data.counties).toContainEqual({ code: "B", name: "București" });
    expect(r.data.cities).toContain("Cluj-Napoca");
  });
});
