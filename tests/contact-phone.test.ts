/**
 * A seller's phone number on a listing (Listing.contactPhone, owned by the users subgraph, reached
 * through the listing's seller): signed-in users only, one listing per request, counted, limited.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { codes } from "./utils/client.ts";
import { createListing, signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const PROFILE = `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { phone showPhone } }`;
const CONTACT = `query ($id: ID!) { listing(id: $id) { id contactPhone } }`;
const COUNT = `query ($id: ID!) { listing(id: $id) { phoneRevealCount } }`;

describeStack("contact phone on listings", () => {
  let stack: Stack;
  let seller: TestUser;
  let buyer: TestUser;
  let listingId: string;
  const reveals = () => stack.app.db.prisma.phoneReveal.count();

  beforeAll(async () => {
    stack = await startStack({ PHONE_REVEALS_PER_HOUR: "3" });
    [seller, buyer] = await Promise.all([signUp(stack, "Vasile Telefon"), signUp(stack, "Maria Sună")]);
    listingId = await createListing(stack, seller);
  });
  afterAll(() => stack?.stop());

  it("shows nothing until the seller chooses to show a phone, and counts nothing then", async () => {
    await stack.request(PROFILE, { input: { phone: "0722 123 456" } }, { token: seller.token });
    const r = await stack.request(CONTACT, { id: listingId }, { token: buyer.token });
    expect(r.errors).toBeUndefined();
    expect(r.data.listing.contactPhone).toBeNull();
    expect(await reveals()).toBe(0);
  });

  it("gives a signed-in user the phone, counts the reveal for the seller, and refuses anonymous visitors", async () => {
    const set = await stack.request(PROFILE, { input: { showPhone: true } }, { token: seller.token });
    expect(set.data.updateProfile.showPhone).toBe(true);
    const shown = await stack.request(CONTACT, { id: listingId }, { token: buyer.token });
    expect(shown.errors).toBeUndefined();
    expect(shown.data.listing.contactPhone).toMatch(/722/);
    const anonymous = await stack.request(CONTACT, { id: listingId });
    expect(codes(anonymous)).toEqual(["UNAUTHENTICATED"]);
    expect(anonymous.data.listing).toEqual({ id: listingId, contactPhone: null });
    // The seller's own listing: the phone, not a reveal.
    expect((await stack.request(CONTACT, { id: listingId }, { token: seller.token })).data.listing.contactPhone).toMatch(/722/);
    expect(await reveals()).toBe(1);
    expect((await stack.request(COUNT, { id: listingId }, { token: seller.token })).data.listing.phoneRevealCount).toBe(1);
    expect((await stack.request(COUNT, { id: listingId }, { token: buyer.token })).data.listing.phoneRevealCount).toBeNull();
    // Others read that the seller shows a phone only through listings, never on the profile.
    const profile = await stack.request(`query ($id: ID!) { listing(id: $id) { seller { phone showPhone } } }`, { id: listingId }, { token: buyer.token });
    expect(profile.data.listing.seller).toEqual({ phone: null, showPhone: null });
  });

  it("never in a list: one listing's phone per request, FORBIDDEN for the others", async () => {
    await createListing(stack, seller);
    const before = await reveals();
    const page = await stack.request(`{ listings(first: 5) { edges { node { contactPhone } } } }`, {}, { token: buyer.token });
    const phones = page.data.listings.edges.map((e: { node: { contactPhone: string | null } }) => e.node.contactPhone);
    expect(phones.length).toBeGreaterThan(1);
    expect(phones.filter((p: string | null) => p !== null)).toHaveLength(1);
    expect(codes(page)).toEqual(Array(phones.length - 1).fill("FORBIDDEN"));
    expect(await reveals()).toBe(before + 1);
  });

  it("limits a user's reveals an hour, and counts none past the limit", async () => {
    // 2 reveals so far for the buyer; the limit is 3.
    expect((await stack.request(CONTACT, { id: listingId }, { token: buyer.token })).data.listing.contactPhone).toMatch(/722/);
    const before = await reveals();
    const limited = await stack.request(CONTACT, { id: listingId }, { token: buyer.token });
    expect(codes(limited)).toEqual(["RATE_LIMITED"]);
    expect(limited.data.listing.contactPhone).toBeNull();
    expect(await reveals()).toBe(before);
  });
});
