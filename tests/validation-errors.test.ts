/**
 * Refused input, as a form reads it: one BAD_USER_INPUT naming every bad field at once in
 * extensions.fields ({ field, reason, message }), messages in Romanian or — with Accept-Language: en —
 * English, and no stack trace on errors a client caused, in development too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, graphql, type GraphQLResponse } from "./utils/client.ts";
import { backend } from "./utils/databases.ts";
import { startDeployment, type Deployment } from "./utils/distributed.ts";
import { carListingInput, createListing, signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const CREATE = `mutation ($input: CreateListingInput!) { createListing(input: $input) { id } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { id } }`;
const LISTING = `query ($id: ID!) { listing(id: $id) { title price { amount } location { county { code } } } }`;
const PROFILE = `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`;
const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }`;
const CHANGE = `mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
const REPORT = `mutation ($id: ID!, $text: String!) { reportListing(listingId: $id, reason: SPAM, text: $text) { id } }`;
const BROWSE = `query ($filter: ListingFilter, $after: String) { listings(filter: $filter, first: 5, after: $after) { totalCount } }`;

const ENGLISH = { "accept-language": "en" };
const REASONS = new Set([
  "REQUIRED", "TOO_SHORT", "TOO_LONG", "INVALID_FORMAT", "INVALID_CHARACTERS", "OUT_OF_RANGE", "NOT_FOUND",
  "NOT_ALLOWED", "CONTAINS_CONTACT", "TOO_MANY_CAPITALS", "WEAK_PASSWORD", "INCORRECT", "INVALID",
]);

interface FieldError {
  field: string;
  reason: string;
  message: string;
}

/** The one BAD_USER_INPUT of a response, checked for the shape every input error has. */
function inputError(r: GraphQLResponse): { message: string; fields: FieldError[] } {
  expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
  const error = r.errors![0]!;
  const fields = error.extensions!.fields as FieldError[];
  expect(Array.isArray(fields) && fields.length > 0).toBe(true);
  for (const f of fields) {
    expect(Object.keys(f).sort()).toEqual(["field", "message", "reason"]);
    expect(REASONS.has(f.reason), f.reason).toBe(true);
    expect(f.message.length).toBeGreaterThan(0);
  }
  expect(error.extensions!.field).toBeUndefined();
  expect(error.extensions!.stacktrace).toBeUndefined();
  return { message: error.message, fields };
}

/** field → reason, for comparing without caring about order. */
const reasons = (fields: FieldError[]) => Object.fromEntries(fields.map((f) => [f.field, f.reason]));
const messageOf = (fields: FieldError[], field: string) => fields.find((f) => f.field === field)?.message ?? "";

/** Five mistakes at once: a short title, a negative price, an unknown county, a bad and a missing attribute. */
const FIVE_MISTAKES = carListingInput({
  title: "Prea scurt",
  price: { amount: -100, currency: "RON" },
  county: "XX",
  attributes: { make: "dacia", model: "Logan", year: 1800, fuel: "diesel" },
});
const FIVE_REASONS = {
  title: "TOO_SHORT",
  "price.amount": "OUT_OF_RANGE",
  county: "NOT_FOUND",
  "attributes.year": "OUT_OF_RANGE",
  "attributes.km": "REQUIRED",
};

describeStack("validation errors", () => {
  let stack: Stack;
  let seller: TestUser;
  let buyer: TestUser;

  beforeAll(async () => {
    stack = await startStack();
    [seller, buyer] = await Promise.all([signUp(stack, "Vasile Pop"), signUp(stack, "Maria Dan")]);
  });
  afterAll(() => stack?.stop());

  it("names all five bad fields of a createListing in one response, in Romanian, and writes nothing", async () => {
    const before = await stack.app.db.prisma.listing.count();
    const r = await stack.request(CREATE, { input: FIVE_MISTAKES }, { token: seller.token });
    const { message, fields } = inputError(r);
    expect(fields).toHaveLength(5);
    expect(reasons(fields)).toEqual(FIVE_REASONS);
    expect(messageOf(fields, "title")).toBe("Titlul trebuie să aibă cel puțin 16 caractere.");
    expect(messageOf(fields, "price.amount")).toBe("Prețul nu poate fi negativ.");
    expect(messageOf(fields, "county")).toMatch(/^Județul „XX” nu există/);
    expect(messageOf(fields, "attributes.year")).toMatch(/cel puțin 1950/);
    expect(messageOf(fields, "attributes.km")).toMatch(/obligatoriu/);
    // A short summary on top; the details are in the fields.
    expect(message).toBe("Datele trimise au 5 probleme: title, price.amount, county, attributes.year, attributes.km.");
    expect(await stack.app.db.prisma.listing.count()).toBe(before);
  });

  it("answers the same in English with Accept-Language: en", async () => {
    const r = await stack.request(CREATE, { input: FIVE_MISTAKES }, { token: seller.token, headers: ENGLISH });
    const { message, fields } = inputError(r);
    expect(reasons(fields)).toEqual(FIVE_REASONS);
    expect(messageOf(fields, "title")).toBe("The title must have at least 16 characters.");
    expect(messageOf(fields, "price.amount")).toBe("The price cannot be negative.");
    expect(messageOf(fields, "county")).toMatch(/^There is no county "XX"; send a county code such as "CJ"/);
    expect(messageOf(fields, "attributes.year")).toBe('The attribute "year" must be at least 1950.');
    expect(messageOf(fields, "attributes.km")).toBe('The attribute "km" is required.');
    expect(message).toBe("The input has 5 problems: title, price.amount, county, attributes.year, attributes.km.");
  });

  it("prefers the better language of a browser's Accept-Language and falls back to Romanian", async () => {
    const input = carListingInput({ title: "Prea scurt" });
    const firstMessage = async (language: string) =>
      inputError(await stack.request(CREATE, { input }, { token: seller.token, headers: { "accept-language": language } })).fields[0]!.message;
    expect(await firstMessage("en-GB,en;q=0.9,ro;q=0.5")).toMatch(/^The title/);
    expect(await firstMessage("ro-RO,ro;q=0.9,en;q=0.8")).toMatch(/^Titlul/);
    expect(await firstMessage("de-DE,de;q=0.9")).toMatch(/^Titlul/);
  });

  it("gives every listing rule its reason", async () => {
    const car = carListingInput();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ title: "a".repeat(10_000) }, "title", "TOO_LONG"],
      [{ title: "Dacia Logan, sunați 0722 123 456" }, "title", "CONTAINS_CONTACT"],
      [{ title: "VAND DACIA LOGAN URGENT IEFTIN" }, "title", "TOO_MANY_CAPITALS"],
      [{ title: `Dacia Logan\u0000 unic proprietar` }, "title", "INVALID_CHARACTERS"],
      [{ categoryId: "999999" }, "categoryId", "NOT_FOUND"],
      [{ categoryId: "1" }, "categoryId", "NOT_ALLOWED"],
      [{ city: "Iași" }, "city", "NOT_FOUND"],
      [{ city: " " }, "city", "REQUIRED"],
      [{ attributes: { ...car.attributes, year: "2016" } }, "attributes.year", "INVALID_FORMAT"],
      [{ attributes: { ...car.attributes, make: "trabant-x" } }, "attributes.make", "NOT_ALLOWED"],
      [{ attributes: { ...car.attributes, wings: 2 } }, "attributes.wings", "NOT_FOUND"],
      [{ attributes: [1, 2] }, "attributes", "INVALID_FORMAT"],
    ];
    for (const [overrides, field, reason] of cases) {
      const { fields } = inputError(await stack.request(CREATE, { input: carListingInput(overrides) }, { token: seller.token }));
      expect(reasons(fields), JSON.stringify(overrides).slice(0, 80)).toEqual({ [field]: reason });
    }
  });

  it("tells a client that sent a county's name which code to send", async () => {
    const named = inputError(await stack.request(CREATE, { input: carListingInput({ county: "Cluj" }) }, { token: seller.token })).fields;
    expect(reasons(named)).toEqual({ county: "INVALID_FORMAT" });
    expect(named[0]!.message).toMatch(/prin cod.*„CJ”/);
    const english = inputError(await stack.request(CREATE, { input: carListingInput({ county: "județul Iași" }) }, { token: seller.token, headers: ENGLISH })).fields;
    expect(english[0]!.message).toMatch(/by its code, not its name: for Iași send "IS"/);
    const city = inputError(await stack.request(CREATE, { input: carListingInput({ county: "Cluj-Napoca" }) }, { token: seller.token })).fields;
    expect(city[0]!.message).toMatch(/oraș din județul Cluj.*„CJ”/);
    // Codes stay accepted in any case, as before.
    expect((await stack.request(CREATE, { input: carListingInput({ county: "cj" }) }, { token: seller.token })).errors).toBeUndefined();
  });

  it("refuses an updateListing with every bad field named, in either language, and keeps the listing", async () => {
    const id = await createListing(stack, seller);
    const input = { title: "x", price: { amount: -5, currency: "RON" }, county: "Cluj", attributes: { make: "dacia", model: "Logan", year: 3000, km: 1, fuel: "diesel" } };
    const ro = inputError(await stack.request(UPDATE, { id, input }, { token: seller.token }));
    expect(reasons(ro.fields)).toEqual({ title: "TOO_SHORT", "price.amount": "OUT_OF_RANGE", county: "INVALID_FORMAT", "attributes.year": "OUT_OF_RANGE" });
    const en = inputError(await stack.request(UPDATE, { id, input }, { token: seller.token, headers: ENGLISH }));
    expect(reasons(en.fields)).toEqual(reasons(ro.fields));
    expect(messageOf(en.fields, "county")).toMatch(/send "CJ"/);
    expect(en.message).toMatch(/^The input has 4 problems/);
    const after = await stack.request(LISTING, { id });
    expect(after.data.listing).toEqual({ title: carListingInput().title, price: { amount: 450_000 }, location: { county: { code: "CJ" } } });
  });

  it("refuses an updateProfile with every bad field named", async () => {
    const user = await signUp(stack, "Ion Popescu");
    const input = { displayName: "I", phone: "12345", county: "Cluj", city: "Cluj-Napoca" };
    const ro = inputError(await stack.request(PROFILE, { input }, { token: user.token }));
    expect(reasons(ro.fields)).toEqual({ displayName: "TOO_SHORT", phone: "INVALID_FORMAT", county: "INVALID_FORMAT" });
    expect(messageOf(ro.fields, "phone")).toMatch(/Numărul de telefon nu este valid/);
    const en = inputError(await stack.request(PROFILE, { input }, { token: user.token, headers: ENGLISH }));
    expect(messageOf(en.fields, "displayName")).toBe("The name must have at least 2 characters.");
    expect(messageOf(en.fields, "phone")).toMatch(/^The phone number is not valid/);
    const half = inputError(await stack.request(PROFILE, { input: { county: "CJ" } }, { token: user.token }));
    expect(reasons(half.fields)).toEqual({ city: "REQUIRED" });
    expect(codes(await stack.request(PROFILE, { input: { county: "CJ", city: "cluj napoca" } }, { token: user.token }))).toEqual([]);
  });

  it("names every problem of a sign-up, the password rules included", async () => {
    const r = await stack.request(SIGN_UP, { input: { email: "nu-e-email", password: "password", displayName: "I" } }, { headers: ENGLISH });
    const { fields } = inputError(r);
    expect(reasons(fields)).toEqual({ email: "INVALID_FORMAT", password: "WEAK_PASSWORD", displayName: "TOO_SHORT" });
    expect(messageOf(fields, "password")).toMatch(/most commonly used/);
    const short = inputError(await stack.request(SIGN_UP, { input: { email: "scurt@example.ro", password: "scurt", displayName: "Ion Pop" } })).fields;
    expect(reasons(short)).toEqual({ password: "TOO_SHORT" });
  });

  it("names a wrong current password and a refused new one together on changePassword", async () => {
    const user = await signUp(stack, "Radu Ionescu");
    const both = inputError(await stack.request(CHANGE, { c: "parola-gresita", n: "iloveyou" }, { token: user.token, headers: ENGLISH }));
    expect(reasons(both.fields)).toEqual({ currentPassword: "INCORRECT", newPassword: "WEAK_PASSWORD" });
    expect(messageOf(both.fields, "currentPassword")).toBe("The current password is wrong.");
    const short = inputError(await stack.request(CHANGE, { c: user.password, n: "scurt" }, { token: user.token }));
    expect(reasons(short.fields)).toEqual({ newPassword: "TOO_SHORT" });
    const named = inputError(await stack.request(CHANGE, { c: user.password, n: "Radu-Ionescu-88" }, { token: user.token }));
    expect(reasons(named.fields)).toEqual({ newPassword: "WEAK_PASSWORD" });
    expect(named.message).toMatch(/numele afișat/);
  });

  it("names both problems of a report on one's own listing with too short a text", async () => {
    const id = await createListing(stack, seller);
    const own = inputError(await stack.request(REPORT, { id, text: "scurt" }, { token: seller.token }));
    expect(reasons(own.fields)).toEqual({ listingId: "NOT_ALLOWED", text: "TOO_SHORT" });
    const en = inputError(await stack.request(REPORT, { id, text: "scurt" }, { token: buyer.token, headers: ENGLISH }));
    expect(en.fields).toEqual([{ field: "text", reason: "TOO_SHORT", message: "Describe the problem in at least 10 characters." }]);
    expect(en.message).toBe("Describe the problem in at least 10 characters.");
  });

  it("names every bad part of a browse filter", async () => {
    const filter = { categoryId: "999999", county: "Cluj", price: { min: -1, max: -2 }, sellerId: "nu-e-uuid" };
    const { fields } = inputError(await stack.request(BROWSE, { filter }));
    expect(reasons(fields)).toEqual({
      "filter.categoryId": "NOT_FOUND",
      "filter.county": "INVALID_FORMAT",
      "filter.price.min": "OUT_OF_RANGE",
      "filter.price.max": "OUT_OF_RANGE",
      "filter.sellerId": "NOT_FOUND",
    });
    const range = inputError(await stack.request(BROWSE, { filter: { price: { min: 500, max: 100 } } }, { headers: ENGLISH }));
    expect(range.fields).toEqual([{ field: "filter.price.min", reason: "OUT_OF_RANGE", message: "The minimum price is above the maximum price." }]);
    const city = inputError(await stack.request(BROWSE, { filter: { city: "Cluj-Napoca" } }));
    expect(reasons(city.fields)).toEqual({ "filter.county": "REQUIRED" });
  });

  it("uses the same shape for the other single-field errors: a bad cursor, a value of the wrong type", async () => {
    const cursor = inputError(await stack.request(BROWSE, { after: "nu-e-cursor" }));
    expect(cursor.fields).toEqual([{ field: "after", reason: expect.any(String), message: "Cursor invalid." }]);
    expect(cursor.message).toBe("Cursor invalid.");
    const typed = inputError(await stack.request(CREATE, { input: { ...carListingInput(), price: { amount: 1.5, currency: "RON" } } }, { token: seller.token }));
    expect(typed.fields).toEqual([{ field: "input.price.amount", reason: "INVALID_FORMAT", message: typed.message }]);
  });
});

describeStack("stack traces in development", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ NODE_ENV: "development" });
  });
  afterAll(() => stack?.stop());

  it("leaves them off a 401 and off a BAD_USER_INPUT", async () => {
    const refused = await stack.request(`{ me { id } }`, {}, { token: "not-a-jwt" });
    expect(refused.status).toBe(401);
    expect(codes(refused)).toEqual(["UNAUTHENTICATED"]);
    expect(refused.errors![0]!.extensions!.stacktrace).toBeUndefined();
    const user = await signUp(stack);
    const bad = await stack.request(CREATE, { input: FIVE_MISTAKES }, { token: user.token });
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(bad.errors![0]!.extensions!.stacktrace).toBeUndefined();
    expect(bad.errors![0]!.extensions!.fields).toHaveLength(5);
  });

  it("keeps them on an internal error (here: the database is gone)", async () => {
    await stack.app.db.close();
    const r = await stack.request(`{ listings(first: 1) { edges { node { id } } } }`);
    // In development the gateway names the failed subgraph fetch; production masks it (tests/gateway.test.ts).
    expect(codes(r)).toEqual(["DOWNSTREAM_SERVICE_ERROR"]);
    const stacktrace = r.errors![0]!.extensions!.stacktrace as string[];
    expect(Array.isArray(stacktrace) && stacktrace.length).toBeGreaterThan(1);
  });
});

// Separate processes share a database server: the PostgreSQL project only (as tests/distributed.test.ts).
describe.skipIf(backend !== "postgres")("languages in distributed mode", () => {
  let deployment: Deployment;
  let url: string;

  beforeAll(async () => {
    deployment = await startDeployment();
    url = deployment.gateways[0]!;
  }, 300_000);

  afterAll(() => deployment?.stop());

  it("forwards the client's language to the subgraph processes", async () => {
    const signedUp = await graphql(url, SIGN_UP, { input: { email: "limbi@example.ro", password: "parola-sigura-1", displayName: "Dana Pop" } });
    const token = signedUp.data.signUp.accessToken as string;
    const ro = inputError(await graphql(url, CREATE, { input: FIVE_MISTAKES }, { token }));
    const en = inputError(await graphql(url, CREATE, { input: FIVE_MISTAKES }, { token, headers: ENGLISH }));
    expect(reasons(ro.fields)).toEqual(FIVE_REASONS);
    expect(reasons(en.fields)).toEqual(FIVE_REASONS);
    expect(messageOf(ro.fields, "title")).toBe("Titlul trebuie să aibă cel puțin 16 caractere.");
    expect(messageOf(en.fields, "title")).toBe("The title must have at least 16 characters.");
    expect(en.message).toMatch(/^The input has 5 problems/);
    const profile = inputError(await graphql(url, PROFILE, { input: { phone: "123" } }, { token, headers: ENGLISH }));
    expect(profile.fields).toEqual([{ field: "phone", reason: "INVALID_FORMAT", message: "The phone number is not valid (e.g. 0722 123 456)." }]);
  });
});
