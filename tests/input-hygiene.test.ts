/**
 * Text and cursors a client controls, through the public API: contact details written around the
 * rules, NUL bytes, invisible and bidi characters, megabyte-scale text, hand-made cursors. Each is a
 * BAD_USER_INPUT naming the field, answered at once, with nothing stored.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { codes, type GraphQLResponse } from "./utils/client.ts";
import { carListingInput, createListing, signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const CREATE = `mutation ($input: CreateListingInput!) { createListing(input: $input) { id } }`;
const PROFILE = `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id displayName } }`;
const ME = `{ me { displayName } }`;
const REPORT = `mutation ($id: ID!, $text: String!) { reportListing(listingId: $id, reason: SPAM, text: $text) { id } }`;
const BROWSE = `query ($sort: ListingSort, $after: String) {
  listings(sort: $sort, first: 2, after: $after) { edges { cursor node { id } } }
}`;

const NUL = "\u0000";
const ZERO_WIDTH_SPACE = "\u200B";
const RIGHT_TO_LEFT_OVERRIDE = "\u202E";
const POP_DIRECTIONAL = "\u202C";

/** The fields a BAD_USER_INPUT names (extensions.fields, the one shape of every input error). */
function badFields(r: GraphQLResponse): string[] {
  expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
  const ext = r.errors![0]!.extensions!;
  return ext.fields.map((f: { field: string }) => f.field);
}

const cursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString("base64url");
const SOME_UUID = "0b6f1c1e-8c1a-4f4e-9d5e-2d0c7f1b9a11";

/** Contact details as people write them to get past a filter. */
const PROBES: [string, string][] = [
  ["spelled digits", "zero sapte doi doi unu doi trei"],
  ["[at]", "andrei [at] gmail com"],
  ["(at) and (dot)", "andrei(at)gmail(dot)com"],
  ["zero-width spaces between digits", [..."0722123456"].join(ZERO_WIDTH_SPACE)],
  ["full-width digits", "０７２２１２３４５６"],
  ["letters for digits", "O722I23456"],
  ["a mobile number without its 0", "722123456"],
];

describeStack("input hygiene", () => {
  let stack: Stack;
  let seller: TestUser;
  let buyer: TestUser;
  const listingCount = () => stack.app.db.prisma.listing.count();

  beforeAll(async () => {
    stack = await startStack();
    [seller, buyer] = await Promise.all([signUp(stack, "Vasile Pop"), signUp(stack, "Maria Dan")]);
  });
  afterAll(() => stack?.stop());

  /** createListing with these changes is refused on `field`, and no listing is written. */
  async function refusedListing(overrides: Record<string, unknown>, field: string) {
    const before = await listingCount();
    const r = await stack.request(CREATE, { input: carListingInput(overrides) }, { token: seller.token });
    expect(badFields(r)).toContain(field);
    expect(await listingCount()).toBe(before);
    return r;
  }

  const car = carListingInput();
  const withModel = (model: string) => ({ attributes: { ...car.attributes, model } });

  it.each(PROBES)("refuses contact details written as %s in a title, a description and a text attribute", async (_, probe) => {
    await refusedListing({ title: `Dacia Logan, ${probe}` }, "title");
    await refusedListing({ description: `${car.description} Detalii: ${probe}.` }, "description");
    await refusedListing(withModel(`Logan ${probe}`), "attributes.model");
  });

  it("still takes ordinary listing text full of numbers", async () => {
    const id = await createListing(stack, seller, {
      title: "Vând bicicletă la 2 ani, 21 viteze",
      description:
        "Vând bicicletă la 2 ani, 21 viteze, roți de 26 inch, an fabricație 2016, 148000 km pe contor. " +
        "Preț 4.500 euro, negociabil. Mărimi cadru: 17 19 21 inch.",
      attributes: { ...car.attributes, model: "Logan MCV 1.5 dCi" },
    });
    expect(id).toBeTruthy();
  });

  it.each([
    ["title", { title: `Dacia Logan 2016${NUL}, unic proprietar` }, "title"],
    ["description", { description: `${car.description}${NUL}` }, "description"],
    ["a text attribute", withModel(`Logan${NUL}`), "attributes.model"],
  ])("refuses a NUL byte in the %s, naming the field, and stores nothing", async (_, overrides, field) => {
    const r = await refusedListing(overrides, field);
    expect(r.errors![0]!.message).toMatch(/NUL/);
  });

  it("refuses a title of invisible characters and bidi overrides in a title", async () => {
    await refusedListing({ title: ZERO_WIDTH_SPACE.repeat(20) }, "title");
    await refusedListing({ title: `Dacia Logan ${RIGHT_TO_LEFT_OVERRIDE}654 321 2270${POP_DIRECTIONAL} unic proprietar` }, "title");
  });

  it("answers a 100,000-letter description at once: PAYLOAD_TOO_LARGE at the body cap, BAD_USER_INPUT under it", async () => {
    const before = await listingCount();
    let start = performance.now();
    const tooLarge = await stack.request(CREATE, { input: carListingInput({ description: "a".repeat(100_000) }) }, { token: seller.token });
    expect(codes(tooLarge)).toEqual(["PAYLOAD_TOO_LARGE"]);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(await listingCount()).toBe(before);
    // Just under the 100 KB body cap, the listing rules answer it, as fast.
    start = performance.now();
    await refusedListing({ description: "a".repeat(95_000) }, "description");
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it("takes the longest description the rules allow, in Romanian letters", async () => {
    const sentence = "Mașină întreținută, fără accidente, revizie făcută la zi în service autorizat. ";
    const description = sentence.repeat(Math.ceil(9000 / sentence.length)).slice(0, 9000).trim();
    expect(await createListing(stack, seller, { description })).toBeTruthy();
  });

  it("refuses NUL, invisible-only and bidi-override display names and keeps the name", async () => {
    const user = await signUp(stack, "Ion Popescu");
    for (const displayName of [`Ion${NUL} Popescu`, ZERO_WIDTH_SPACE.repeat(10), `Ion ${RIGHT_TO_LEFT_OVERRIDE}ucsepoP`]) {
      expect(badFields(await stack.request(PROFILE, { input: { displayName } }, { token: user.token }))).toContain("displayName");
    }
    expect((await stack.request(ME, {}, { token: user.token })).data.me.displayName).toBe("Ion Popescu");
    const r = await stack.request(`mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }`, {
      input: { email: "nul-name@example.ro", password: "parola-sigura-123", displayName: `Ana${NUL}` },
    });
    expect(badFields(r)).toContain("displayName");
    expect(await stack.app.db.prisma.user.count({ where: { email: "nul-name@example.ro" } })).toBe(0);
  });

  it("refuses a NUL byte in a report's text and stores no report", async () => {
    const id = await createListing(stack, seller);
    const r = await stack.request(REPORT, { id, text: `Anunț înșelător${NUL}, cere avans.` }, { token: buyer.token });
    expect(badFields(r)).toContain("text");
    expect(await stack.app.db.prisma.listingReport.count({ where: { listingId: id } })).toBe(0);
    const ok = await stack.request(REPORT, { id, text: "Anunț înșelător, cere avans." }, { token: buyer.token });
    expect(ok.errors).toBeUndefined();
  });

  it.each([
    ["a year before 1970", "NEWEST", [new Date(-1).toISOString(), SOME_UUID]],
    ["year -200000", "NEWEST", ["-200000-01-01T00:00:00.000Z", SOME_UUID]],
    ["year +275760", "NEWEST", ["+275760-09-13T00:00:00.000Z", SOME_UUID]],
    ["a date that does not exist", "NEWEST", ["2026-02-31T00:00:00.000Z", SOME_UUID]],
    ["a date in another format", "NEWEST", ["Tue, 01 Dec 2026 10:00:00 GMT", SOME_UUID]],
    ["a 5,000-digit price", "PRICE_ASC", ["9".repeat(5000), SOME_UUID]],
    ["a price past the int64 range", "PRICE_ASC", ["9223372036854775808", SOME_UUID]],
    ["a price as a JSON number", "PRICE_DESC", [1e300, SOME_UUID]],
    ["an id that is not a UUID", "PRICE_ASC", ["100", "x".repeat(5000)]],
  ])("refuses a hand-made cursor with %s as BAD_USER_INPUT", async (_, sort, key) => {
    const r = await stack.request(BROWSE, { sort, after: cursor(key) });
    expect(badFields(r)).toEqual(["after"]);
    expect(r.errors![0]!.message).toBe("Cursor invalid.");
  });

  it("still follows the cursors it hands out", async () => {
    await Promise.all([1, 2, 3].map(() => createListing(stack, seller)));
    for (const sort of ["NEWEST", "PRICE_ASC", "PRICE_DESC"]) {
      const first = await stack.request(BROWSE, { sort });
      const next = await stack.request(BROWSE, { sort, after: first.data.listings.edges.at(-1).cursor });
      expect(next.errors).toBeUndefined();
      expect(next.data.listings.edges.length).toBeGreaterThan(0);
    }
  });
});
