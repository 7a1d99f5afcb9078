/**
 * What operators see of the API: /metrics (Prometheus text) after real traffic through the gateway,
 * its protection in production, and the one log line per request, which never carries a password,
 * an e-mail address or a token.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { build } from "../gateway/gateway.ts";
import { loadConfig } from "../lib/env.ts";
import { createLogger } from "../lib/logger.ts";
import { codes, graphql } from "./utils/client.ts";
import { createTestDatabase } from "./utils/databases.ts";
import { createListing, signUp } from "./utils/fixtures.ts";
import { backend, describeStack, RELAXED_RATE_LIMITS, startStack, TEST_JWT_SECRET, WITHOUT_AGENT_FLOWS, type Stack } from "./utils/stack.ts";

/** A stack like startStack's, logging at info into a string the test reads. */
async function startLoggedStack(): Promise<Stack & { logs: () => string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-test-"));
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dataDir,
    DEMO_DATA: "false",
    LOG_LEVEL: "info",
    JWT_SECRET: TEST_JWT_SECRET,
    ...RELAXED_RATE_LIMITS,
    ...WITHOUT_AGENT_FLOWS,
    // Fetches and SQL per execution: a response-cache hit executes nothing (its own counts are in
    // tests/response-cache.test.ts).
    RESPONSE_CACHE_MAX_BYTES: "0",
    ...(database.url ? { DATABASE_URL: database.url } : {}),
  });
  let output = "";
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const app = await build(config, createLogger(config, "gateway", sink));
  const { port } = await app.start();
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    url,
    app,
    dataDir,
    logs: () => output,
    request: (query, variables, options) => graphql(url, query, variables, options),
    restart: () => Promise.reject(new Error("This suite's stack does not restart.")),
    async stop() {
      await app.stop();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const metricsUrl = (stack: Stack) => stack.url.replace(/\/graphql$/, "/metrics");

async function scrape(stack: Stack): Promise<string> {
  const response = await fetch(metricsUrl(stack));
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

/** The sum of a metric's samples whose labels include `labels`; undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => got[key] === value)) total = (total ?? 0) + Number(match[3]);
  }
  return total;
}

const BROWSE = `query ObsBrowse { listings(first: 5) { edges { node { id title seller { displayName } } } } }`;

describeStack("metrics and request logs", () => {
  let stack: Awaited<ReturnType<typeof startLoggedStack>>;

  beforeAll(async () => {
    stack = await startLoggedStack();
    await createListing(stack, await signUp(stack, "Vânzător Metrici"));
  });
  afterAll(() => stack?.stop());

  it("counts requests by operation, their latency, subgraph fetches, SQL statements and the event loop", async () => {
    const before = await scrape(stack);
    for (let i = 0; i < 7; i++) expect((await stack.request(BROWSE)).errors).toBeUndefined();
    const after = await scrape(stack);
    const delta = (name: string, labels: Record<string, string> = {}) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);

    expect(delta("piata_graphql_requests_total", { operation: "ObsBrowse", outcome: "ok" })).toBe(7);
    expect(delta("piata_graphql_requests_total", { operation: "ObsBrowse" })).toBe(7);
    expect(delta("piata_graphql_request_duration_seconds_count", { operation: "ObsBrowse" })).toBe(7);
    expect(delta("piata_graphql_request_duration_seconds_sum", { operation: "ObsBrowse" })).toBeGreaterThan(0);
    // The page comes from listings, each seller's displayName from users.
    expect(delta("piata_subgraph_fetch_duration_seconds_count", { subgraph: "listings", outcome: "ok" })).toBe(7);
    expect(delta("piata_subgraph_fetch_duration_seconds_count", { subgraph: "users", outcome: "ok" })).toBe(7);
    expect(delta("piata_db_statements_total")).toBeGreaterThanOrEqual(7);
    expect(sample(after, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(sample(after, "piata_graphql_requests_in_flight")).toBe(0);
    // The PostgreSQL pool's figures; PGlite has no pool.
    if (backend === "postgres") expect(sample(after, "piata_db_pool_connections", { state: "total" })).toBeGreaterThan(0);
    else expect(sample(after, "piata_db_pool_connections")).toBeUndefined();
    // Anonymous operations have a label of their own.
    await stack.request(`{ counties { code } }`);
    expect(sample(await scrape(stack), "piata_graphql_requests_total", { operation: "anonymous", outcome: "ok" })).toBeGreaterThanOrEqual(1);
  });

  it("counts refusals by limit, before Apollo parses (tokens) and after (aliases), and errors by code", async () => {
    const before = await scrape(stack);
    const aliases = await stack.request(`query ObsAliases { ${Array.from({ length: 31 }, (_, i) => `a${i}: counties { code }`).join(" ")} }`);
    expect(aliases.errors![0]!.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "aliases" });
    const tokens = await stack.request(`query ObsTokens { ${"a ".repeat(2_100)} }`);
    expect(tokens.errors![0]!.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "tokens" });
    expect(codes(await stack.request(`query ObsMissing { listing(id: "999999") { id } }`))).toEqual([]);
    expect(codes(await stack.request(`query ObsMe { me { id } }`))).toEqual(["UNAUTHENTICATED"]);
    const after = await scrape(stack);
    const delta = (name: string, labels: Record<string, string>) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);

    expect(delta("piata_graphql_refusals_total", { code: "QUERY_TOO_COMPLEX", limit: "aliases" })).toBe(1);
    expect(delta("piata_graphql_refusals_total", { code: "QUERY_TOO_COMPLEX", limit: "tokens" })).toBe(1);
    expect(delta("piata_graphql_errors_total", { code: "QUERY_TOO_COMPLEX" })).toBe(2);
    expect(delta("piata_graphql_requests_total", { operation: "ObsAliases", outcome: "refused" })).toBe(1);
    // Refused before parsing: the operation's name is not known yet.
    expect(delta("piata_graphql_requests_total", { operation: "unknown", outcome: "refused" })).toBe(1);
    expect(delta("piata_graphql_requests_total", { operation: "ObsMissing", outcome: "ok" })).toBe(1);
    expect(delta("piata_graphql_requests_total", { operation: "ObsMe", outcome: "client_error" })).toBe(1);
    expect(delta("piata_graphql_errors_total", { code: "UNAUTHENTICATED" })).toBe(1);
  });

  it("keeps operation names as labels up to a cap, then counts the rest as other", async () => {
    // The cap is 200 per gateway; this stack has used a handful of names, so 200 new ones overflow it.
    await Promise.all(Array.from({ length: 200 }, (_, i) => stack.request(`query ObsName${i} { __typename }`)));
    const text = await scrape(stack);
    const names = new Set([...text.matchAll(/^piata_graphql_requests_total\{operation="([^"]+)"/gm)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(201);
    expect(names.has("other")).toBe(true);
  });

  it("writes one JSON line per request with its id, operation, viewer, duration, SQL, outcome and status, and no secret", async () => {
    const email = `secret-person-${Date.now()}@example.ro`;
    const password = "Parola-Foarte-Secreta-2026";
    const newPassword = "Alta-Parola-Secreta-2027";
    const signedUp = await stack.request(
      `mutation ObsSignUp($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id } } }`,
      { input: { email, password, displayName: "Ana Secretă" } },
    );
    expect(signedUp.errors).toBeUndefined();
    const userId: string = signedUp.data.signUp.user.id;
    const signIn = `mutation ObsSignIn($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken refreshToken } }`;
    const signedIn = await stack.request(signIn, { e: email, p: password }, { headers: { "x-request-id": "obs-sign-in-1" } });
    const { accessToken, refreshToken } = signedIn.data.signIn;
    const wrong = await stack.request(signIn, { e: email, p: "Parola-Gresita-Secreta" }, { headers: { "x-request-id": "obs-sign-in-2" } });
    expect(codes(wrong)).toEqual(["UNAUTHENTICATED"]);
    const changed = await stack.request(
      `mutation ObsChangePassword($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`,
      { c: password, n: newPassword },
      { token: accessToken, headers: { "x-request-id": "obs-change-1" } },
    );
    expect(changed.data.changePassword).toBe(true);
    // Inline in the document too, and a refresh token in a variable.
    const inline = await stack.request(`mutation ObsInline { signIn(email: "${email}", password: "${newPassword}") { refreshToken } }`);
    expect(inline.errors).toBeUndefined();
    await stack.request(`mutation ObsRefresh($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`, { t: inline.data.signIn.refreshToken });
    await stack.request(`query ObsMe { me { id email } }`, {}, { token: "not-a-real-token-but-secret-looking", headers: { "x-request-id": "obs-me-1" } });

    const output = stack.logs();
    const lines = output.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = lines.filter((line) => line.msg === "request");
    expect(requests.length).toBeGreaterThanOrEqual(7);
    const byId = (id: string) => requests.filter((line) => line.requestId === id);

    expect(byId("obs-sign-in-1")).toEqual([
      expect.objectContaining({ level: 30, operation: "ObsSignIn", status: 200, outcome: "ok", sqlStatements: expect.any(Number) }),
    ]);
    expect(byId("obs-sign-in-1")[0]!.durationMs).toEqual(expect.any(Number));
    expect(byId("obs-sign-in-1")[0]!.userId).toBeUndefined();
    expect(byId("obs-sign-in-2")).toEqual([
      expect.objectContaining({ operation: "ObsSignIn", outcome: "client_error", codes: ["UNAUTHENTICATED"] }),
    ]);
    const change = byId("obs-change-1");
    expect(change).toEqual([
      expect.objectContaining({ operation: "ObsChangePassword", userId, status: 200, outcome: "ok" }),
    ]);
    expect(change[0]!.sqlStatements).toBeGreaterThan(0);
    expect(byId("obs-me-1")).toEqual([expect.objectContaining({ operation: "ObsMe", status: 401, outcome: "client_error", codes: ["UNAUTHENTICATED"] })]);

    const secrets = [email, password, newPassword, accessToken, refreshToken, inline.data.signIn.refreshToken, "not-a-real-token-but-secret-looking", "Parola-Gresita-Secreta"];
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/@example\.ro/);
  });
});

describeStack("/metrics in production", () => {
  const TOKEN = "metrics-token-for-the-test-0123456789";
  let open: Stack;
  let guarded: Stack;

  beforeAll(async () => {
    [open, guarded] = await Promise.all([
      startStack({ NODE_ENV: "production" }),
      startStack({ NODE_ENV: "production", METRICS_TOKEN: TOKEN, RATE_LIMIT_REQUESTS_PER_MINUTE: "3" }),
    ]);
  });
  afterAll(() => Promise.all([open?.stop(), guarded?.stop()]));

  it("is not there without METRICS_TOKEN", async () => {
    expect((await fetch(metricsUrl(open))).status).toBe(404);
    expect((await fetch(metricsUrl(open), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it("asks for the token when one is set, and counts the request rate limit's refusals", async () => {
    const none = await fetch(metricsUrl(guarded));
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await fetch(metricsUrl(guarded), { headers: { authorization: "Bearer wrong-token-of-some-length" } })).status).toBe(401);
    expect((await fetch(metricsUrl(guarded), { headers: { authorization: TOKEN } })).status).toBe(401);

    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await guarded.request(`query ObsLimited { __typename }`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const ok = await fetch(metricsUrl(guarded), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    const text = await ok.text();
    expect(sample(text, "piata_graphql_requests_total", { operation: "ObsLimited", outcome: "ok" })).toBe(3);
    expect(sample(text, "piata_graphql_refusals_total", { code: "RATE_LIMITED", limit: "requests" })).toBe(1);
    expect(sample(text, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
  });
});
