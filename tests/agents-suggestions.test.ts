/**
 * What a seller is offered while writing a listing, through the gateway on the demo data: categories
 * for the text (the categorizer's classifier) and a price range with its basis (the pricer's
 * comparables); and the categorizer and pricer agents run as admins run them.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDemoData } from "../prisma/seed/seed.ts";
import { codes } from "./utils/client.ts";
import { signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const SUGGEST_CATEGORY = `query ($title: String!, $description: String) {
  suggestCategory(title: $title, description: $description) { score category { id name } }
}`;
const SUGGEST_PRICE = `query ($categoryId: ID!, $title: String, $attributes: JSON, $county: String, $city: String) {
  suggestPrice(categoryId: $categoryId, title: $title, attributes: $attributes, county: $county, city: $city) {
    low median high currency basis { comparables relaxed scope category { id name } }
  }
}`;
const RUN = `mutation ($agent: String!, $input: JSON) { runAgent(agent: $agent, goal: "test", input: $input) { id } }`;
const RUN_BY_ID = `query ($id: ID!) { agentRun(id: $id) { status output error } }`;

const LISTINGS = 1_000;

/** Demo cars cost 1,500–45,000 EUR (subgraphs/listings/demo-text.ts), compared in lei at ~4.97. */
const CAR_PRICES_RON = { min: 1_500 * 4.9, max: 45_000 * 5.1 };

describeStack("agents: category and price suggestions for sellers", () => {
  let stack: Stack;
  let admin: TestUser;
  let seller: TestUser;

  beforeAll(async () => {
    stack = await startStack({ AGENT_POLLING_INTERVAL_SECONDS: "0.5" });
    // The demo generator's listings (every category, the country's counties), fewer than a fresh
    // stack's 2,000: a stack with DEMO_DATA makes its database from scratch, minutes on a busy machine.
    await seedDemoData(stack.app.db.prisma, { sellers: 40, listings: LISTINGS, seed: 2026 });
    [admin, seller] = await Promise.all([signUpAdmin(stack), signUp(stack, "Vânzător Grăbit")]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (who: TestUser, query: string, variables: Record<string, unknown> = {}) => stack.request(query, variables, { token: who.token });
  const settled = async (id: string, timeoutMs = 60_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const run = (await as(admin, RUN_BY_ID, { id })).data.agentRun;
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(run.status) || Date.now() > until) return run;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  it("suggests the cars category for an obvious car title, with scores, categories resolved by listings", async () => {
    const ask = () => as(seller, SUGGEST_CATEGORY, { title: "Dacia Logan 2015 1.5 dCi", description: "Mașină întreținută, unic proprietar, revizii la zi." });
    // No model is stored yet: the first question is answered from the category names while the first
    // model trains in a worker thread; it answers within seconds.
    let r = await ask();
    for (const until = Date.now() + 60_000; !r.errors && !JSON.stringify(r.data).includes('"101"') && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      r = await ask();
    }
    expect(r.errors).toBeUndefined();
    const suggestions = r.data.suggestCategory as { score: number; category: { id: string; name: string } }[];
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.length).toBeLessThanOrEqual(3);
    expect(suggestions.map((s) => s.category)).toContainEqual({ id: "101", name: "Autoturisme" });
    for (const s of suggestions) expect(s.score).toBeGreaterThan(0);
    expect(suggestions.map((s) => s.score)).toEqual([...suggestions.map((s) => s.score)].sort((a, b) => b - a));

    const flat = (await as(seller, SUGGEST_CATEGORY, { title: "Apartament 2 camere de vânzare" })).data.suggestCategory;
    expect(flat[0].category.id).toBe("201");
  });

  it("gives a car a sane price range from comparable cars, with its basis", async () => {
    const r = await as(seller, SUGGEST_PRICE, { categoryId: "101", title: "Dacia Logan 2016", attributes: { make: "dacia", year: 2016 }, county: "B", city: "București" });
    expect(r.errors).toBeUndefined();
    const price = r.data.suggestPrice;
    expect(price.currency).toBe("RON");
    expect(price.low).toBeGreaterThanOrEqual(CAR_PRICES_RON.min);
    expect(price.high).toBeLessThanOrEqual(CAR_PRICES_RON.max);
    expect(price.low).toBeLessThanOrEqual(price.median);
    expect(price.median).toBeLessThanOrEqual(price.high);
    expect(price.basis.comparables).toBeGreaterThanOrEqual(5);
    expect(price.basis.category).toEqual({ id: "101", name: "Autoturisme" });
    // 1,000 demo listings hold ~80 cars: too few Logans of 2014–2018 in one city, so some filters go.
    expect(price.basis.relaxed.length).toBeGreaterThan(0);
    expect(["CITY", "COUNTY", "ATTRIBUTES", "TITLE"]).toEqual(expect.arrayContaining(price.basis.relaxed));
    expect(["CITY", "COUNTY", "COUNTRY"]).toContain(price.basis.scope);

    const anywhere = (await as(seller, SUGGEST_PRICE, { categoryId: "101" })).data.suggestPrice;
    expect(anywhere.basis).toMatchObject({ relaxed: [], scope: "COUNTRY" });
    expect(anywhere.basis.comparables).toBeGreaterThanOrEqual(price.basis.comparables);
  });

  it("is for signed-in users, and refuses bad input with the field and reason", async () => {
    expect(codes(await stack.request(SUGGEST_CATEGORY, { title: "Dacia Logan" }))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await stack.request(SUGGEST_PRICE, { categoryId: "101" }))).toEqual(["UNAUTHENTICATED"]);
    const fields = async (query: string, variables: Record<string, unknown>) => {
      const r = await as(seller, query, variables);
      expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
      return (r.errors![0]!.extensions!.fields as { field: string; reason: string }[]).map((f) => `${f.field}:${f.reason}`);
    };
    expect(await fields(SUGGEST_CATEGORY, { title: "  " })).toEqual(["title:TOO_SHORT"]);
    expect(await fields(SUGGEST_CATEGORY, { title: "x".repeat(71), description: "y".repeat(9001) })).toEqual(["title:TOO_LONG", "description:TOO_LONG"]);
    expect(await fields(SUGGEST_PRICE, { categoryId: "999999" })).toEqual(["categoryId:NOT_FOUND"]);
    expect(await fields(SUGGEST_PRICE, { categoryId: "101", county: "XX" })).toEqual(["county:NOT_FOUND"]);
    expect(await fields(SUGGEST_PRICE, { categoryId: "101", county: "CJ", city: "Iași" })).toEqual(["city:NOT_FOUND"]);
    expect(await fields(SUGGEST_PRICE, { categoryId: "101", city: "Iași" })).toEqual(["county:REQUIRED"]);
    expect((await fields(SUGGEST_PRICE, { categoryId: "101", attributes: "an." })).map((f) => f.split(":")[0])).toEqual(["attributes"]);
    expect((await fields(SUGGEST_PRICE, { categoryId: "101", attributes: { year: { nested: 1 } } })).map((f) => f.split(":")[0])).toEqual(["attributes.year"]);
  });

  it("runs the categorizer: top-1 and top-3 accuracy on the held-out listings, a model suggestions use", async () => {
    const { id } = (await as(admin, RUN, { agent: "categorizer", input: {} })).data.runAgent;
    const run = await settled(id, 120_000);
    expect(run).toMatchObject({ status: "SUCCEEDED" });
    const { heldOut, trainedOn, categories, modelId } = run.output;
    // ~86 % of demo listings are active, ~80 % of those learnt from.
    expect(trainedOn).toBeGreaterThan(LISTINGS * 0.6);
    expect(heldOut.examples).toBeGreaterThan(LISTINGS * 0.1);
    expect(heldOut.top1).toBeGreaterThan(0.8);
    expect(heldOut.top3).toBeGreaterThanOrEqual(heldOut.top1);
    expect(categories).toBeGreaterThan(50);
    expect(await stack.app.db.prisma.agentModel.findFirst({ orderBy: { createdAt: "desc" }, select: { id: true } })).toEqual({ id: modelId });
    const health = (await as(admin, `{ agents { name health { ok detail } } }`)).data.agents.find((a: { name: string }) => a.name === "categorizer");
    expect(health.health.ok).toBe(true);
    expect(health.health.detail).toMatch(/top-1/);
  });

  it("runs the pricer for a listing: its range, and where its own price falls", async () => {
    const listing = await stack.app.db.prisma.listing.findFirstOrThrow({ where: { categoryId: 101, status: "ACTIVE" }, select: { id: true } });
    const { id } = (await as(admin, RUN, { agent: "pricer", input: { listingId: listing.id } })).data.runAgent;
    const run = await settled(id);
    expect(run).toMatchObject({ status: "SUCCEEDED", output: { listingId: listing.id } });
    const { estimate, position, priceRon } = run.output;
    expect(["BELOW", "WITHIN", "ABOVE"]).toContain(position);
    expect(priceRon).toBeGreaterThan(0);
    expect(estimate.basis.comparables).toBeGreaterThanOrEqual(5);
    expect(estimate.low).toBeLessThanOrEqual(estimate.high);

    const written = await settled((await as(admin, RUN, { agent: "pricer", input: { categoryId: 201, title: "Apartament 2 camere", attributes: { rooms: 2 }, county: "CJ" } })).data.runAgent.id);
    expect(written.output.estimate.basis).toMatchObject({ categoryId: 201 });
    expect(codes(await as(admin, RUN, { agent: "pricer", input: { title: "fără categorie" } }))).toEqual(["BAD_USER_INPUT"]);
  });
});
