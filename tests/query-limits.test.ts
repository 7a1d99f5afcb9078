/**
 * The gateway's limits as an attacker meets them: documents refused before planning with a typed
 * QUERY_TOO_COMPLEX, the same on GET, POST and batches; the per-request budget holding a query that
 * slips past them; production's introspection and suggestions; CSRF, CORS and security headers.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { codes, graphql } from "./utils/client.ts";
import { createListing, signUp } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

/** listings(first: 1) → seller → listings(first: N) → seller → … nested `levels` times (the probe's shape). */
function fanOut(levels: number, first: string): string {
  let inner = "id title";
  for (let i = 0; i < levels; i++) inner = `seller { displayName listings(${first}) { edges { node { id ${inner} } } } }`;
  return `{ listings(first: 1) { edges { node { ${inner} } } } }`;
}
const PROBE = fanOut(6, "first: 50");
const NORMAL = `{ listings(first: 5) { totalCount edges { node { id title seller { displayName } } } } }`;

async function post(stack: Stack, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describeStack("query limits at the gateway (defaults)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it("refuses the probe's nested fan-out at once with the measured and allowed figures, and keeps serving others", async () => {
    const r = await stack.request(PROBE);
    expect(r.status).toBe(400);
    expect(r.data).toBeUndefined();
    expect(r.errors![0]!.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "depth", allowed: 12 });
    expect(r.errors![0]!.extensions!.measured).toBeGreaterThan(12);
    const attacks = Array.from({ length: 10 }, () => stack.request(PROBE));
    const normal = await stack.request(NORMAL);
    expect(normal.errors).toBeUndefined();
    const refused = await Promise.all(attacks);
    expect(refused.map((a) => codes(a)[0])).toEqual(Array(10).fill("QUERY_TOO_COMPLEX"));
  });

  it("counts a page size given as a variable, and refuses a fan-out within the depth limit by cost", async () => {
    const query = fanOut(2, "first: $n").replace("{ listings(first: 1)", "query ($n: Int) { listings(first: 1)");
    const refused = await stack.request(query, { n: 100 });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "cost", allowed: 5000 });
    expect(refused.errors![0]!.message).toMatch(/cost \d+, maximum 5000/);
    expect((await stack.request(query, { n: 3 })).errors).toBeUndefined();
  });

  it("refuses 1,000 aliases, deep fragments, 5,000 root fields and too many directives; fragment cycles fail validation", async () => {
    // 1,000 aliases are a larger document (and more tokens) than allowed; 100 fit that, and are still refused.
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: counties { code }`).join(" ")} }`;
    const thousand = (await stack.request(aliases(1000))).errors![0]!.extensions!;
    expect(thousand.code).toBe("QUERY_TOO_COMPLEX");
    expect(["documentBytes", "tokens"]).toContain(thousand.limit);
    expect((await stack.request(aliases(100))).errors![0]!.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "aliases", measured: 100 });

    let fragments = "fragment F0 on Category { id }";
    for (let i = 1; i <= 20; i++) fragments += ` fragment F${i} on Category { parent { ...F${i - 1} } }`;
    expect((await stack.request(`{ categories { ...F20 } } ${fragments}`)).errors![0]!.extensions).toMatchObject({ limit: "depth" });

    const roots = `{ ${Array.from({ length: 5000 }, (_, i) => `r${i}: __typename`).join(" ")} }`;
    const rootsReply = await stack.request(roots);
    expect(rootsReply.errors![0]!.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX" });
    expect(["documentBytes", "tokens"]).toContain(rootsReply.errors![0]!.extensions!.limit);

    const directives = `{ counties { ${Array.from({ length: 30 }, () => "code @include(if: true)").join(" ")} } }`;
    expect((await stack.request(directives)).errors![0]!.extensions).toMatchObject({ limit: "directives", measured: 30 });

    const cycle = await stack.request(`{ categories { ...A } } fragment A on Category { parent { ...B } } fragment B on Category { parent { ...A } }`);
    expect(codes(cycle)).toContain("GRAPHQL_VALIDATION_FAILED");
  });

  it("refuses a 2 MB document at the body cap and a long one by its size", async () => {
    const huge = await post(stack, { query: `{ ${"counties { code } ".repeat(110_000)} }` });
    expect(huge.status).toBe(413);
    const long = await post(stack, { query: `{ counties { code } } ${"# padding\n".repeat(3_000)}` });
    expect(long.status).toBe(400);
    expect(long.body.errors[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "documentBytes", allowed: 20000 });
  });

  it("suggests field names outside production", async () => {
    const typo = await stack.request(`{ listngs { edges { node { id } } } }`);
    expect(typo.errors![0]!.message).toMatch(/did you mean/i);
  });

  it("applies the same limits to GET", async () => {
    const response = await fetch(`${stack.url}?query=${encodeURIComponent(fanOut(2, "first: 100"))}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "cost" });
  });

  it("refuses batched arrays by default", async () => {
    const r = await post(stack, [{ query: "{ counties { code } }" }, { query: "{ categories { id } }" }]);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("types a persisted-query hash that does not match its document", async () => {
    const r = await post(stack, { query: "{ counties { code } }", extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_HASH_MISMATCH");
  });

  it("prevents CSRF: no GraphQL from a simple form post, no mutation over GET, no GET without a preflight header", async () => {
    const form = await fetch(stack.url, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: "mutation { signOut }" }) });
    expect(form.status).toBe(400);
    const getMutation = await fetch(`${stack.url}?query=${encodeURIComponent("mutation { signOut }")}`, { headers: { "apollo-require-preflight": "true" } });
    expect(getMutation.status).toBe(405);
    const simpleGet = await fetch(`${stack.url}?query=${encodeURIComponent("{ counties { code } }")}`);
    expect(simpleGet.status).toBe(400);
  });

  it("sends security headers, and no CORS headers when no origin is allowed", async () => {
    const r = await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" }, body: JSON.stringify({ query: "{ counties { code } }" }) });
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("referrer-policy")).toBe("no-referrer");
    expect(r.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(r.headers.get("strict-transport-security")).toBeNull();
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    const page = await fetch(stack.url, { headers: { accept: "text/html" } });
    expect(page.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
    expect(await page.text()).toContain('http-equiv="Content-Security-Policy"');
  });
});

describeStack("the per-request budget: a query past the limits' estimate still stops", () => {
  let stack: Stack;
  beforeAll(async () => {
    // Limits as good as off, so that only the budget stands between the probe and the process.
    stack = await startStack({ MAX_DEPTH: "1000", MAX_COST: "1000000000000000", MAX_RESPONSE_OBJECTS: "5000", EXECUTION_DEADLINE_MS: "5000" });
    const seller = await signUp(stack, "Vânzător Prolific");
    for (let i = 0; i < 12; i++) await createListing(stack, seller, { title: `Dacia Logan 1.5 dCi 2016, exemplarul ${i + 1}` });
  });
  afterAll(() => stack?.stop());

  it("answers the probe's fan-out with one clear error, ten at once, and keeps answering everyone else", async () => {
    const attacks = Array.from({ length: 10 }, () => stack.request(fanOut(6, "first: 50")));
    const normal = await stack.request(NORMAL);
    expect(normal.errors).toBeUndefined();
    expect(normal.data.listings.totalCount).toBe(12);
    for (const attack of await Promise.all(attacks)) {
      expect(attack.data).toBeNull();
      expect(attack.errors).toHaveLength(1);
      expect(["RESPONSE_TOO_LARGE", "DEADLINE_EXCEEDED"]).toContain(codes(attack)[0]);
    }
    expect((await fetch(stack.url.replace(/graphql$/, "healthz"))).status).toBe(200);
    expect((await stack.request(NORMAL)).errors).toBeUndefined();
  });
});

describeStack("response caps and production settings", () => {
  let capped: Stack;
  let production: Stack;
  beforeAll(async () => {
    capped = await startStack({ MAX_RESPONSE_OBJECTS: "50", MAX_RESPONSE_BYTES: "1024", CORS_ORIGINS: "https://piata.ai", TRUST_PROXY: "loopback" });
    production = await startStack({ NODE_ENV: "production" });
  });
  afterAll(async () => {
    await capped?.stop();
    await production?.stop();
  });

  it("refuses an answer over the object cap or the byte cap, and serves the next request", async () => {
    const objects = await capped.request(`{ counties { code } categories { id } }`);
    expect(objects.data).toBeNull();
    expect(codes(objects)).toEqual(["RESPONSE_TOO_LARGE"]);
    const bytes = await capped.request(`{ a: counties { code name } }`);
    expect(codes(bytes)).toEqual(["RESPONSE_TOO_LARGE"]);
    expect((await capped.request(`{ categories { id } }`)).data.categories).toHaveLength(11);
  });

  it("answers CORS preflights for allowed origins only, and sends HSTS behind a trusted TLS proxy", async () => {
    const preflight = (origin: string) =>
      fetch(capped.url, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" } });
    const allowed = await preflight("https://piata.ai");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://piata.ai");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("authorization");
    expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    const tls = await graphql(capped.url, `{ categories { id } }`, {}, { headers: { "x-forwarded-proto": "https" } });
    expect(tls.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("turns introspection and field suggestions off in production", async () => {
    const introspection = await production.request(`{ __schema { types { name } } }`);
    expect(introspection.data).toBeUndefined();
    expect(introspection.errors![0]!.message).toMatch(/introspection/i);
    const typo = await production.request(`{ listngs { edges { node { id } } } }`);
    expect(codes(typo)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(typo.errors![0]!.message).not.toMatch(/did you mean/i);
  });
});
