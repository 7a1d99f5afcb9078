/**
 * Distributed mode: each subgraph in its own process, the gateway fetching them over HTTP, all on a
 * shared PostgreSQL database. The same public operations must behave as in embedded mode.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { codes, graphql } from "./utils/client.ts";
import { createTestDatabase, type TestDatabase } from "./utils/databases.ts";
import { carListingInput } from "./utils/fixtures.ts";
import { freePort, spawnServer, waitUntilReady, type ServerProcess } from "./utils/processes.ts";
import { describeStack, RELAXED_RATE_LIMITS, TEST_JWT_SECRET } from "./utils/stack.ts";

// Runs in the PostgreSQL project only (vitest.config.ts): the processes share a database server.
describeStack("distributed mode: gateway and subgraphs as separate processes", () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  let url: string;
  const subgraphUrls: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    // Sign-in attempts limited for real (in the users subgraph process): a refusal must cross the HTTP
    // hop as a 429, not as an internal error.
    const env = { DATABASE_URL: database.url!, JWT_SECRET: TEST_JWT_SECRET, HOST: "127.0.0.1", DEMO_DATA: "false", ...RELAXED_RATE_LIMITS, RATE_LIMIT_SIGN_IN_PER_ACCOUNT: "3" };
    const urls: string[] = [];
    // Subgraphs one after the other: both apply migrations on start, and the advisory lock serialises
    // them anyway; sequential starts keep the test's failure output readable.
    for (const name of ["users", "listings"]) {
      const port = await freePort();
      const server = spawnServer("subgraphs/serve.ts", [name], { ...env, PORT: String(port) });
      servers.push(server);
      await waitUntilReady(server, `http://127.0.0.1:${port}/healthz`);
      urls.push(`${name}=http://127.0.0.1:${port}/graphql`);
      subgraphUrls[name] = `http://127.0.0.1:${port}/graphql`;
    }
    const port = await freePort();
    const gateway = spawnServer("gateway/index.ts", [], { ...env, PORT: String(port), SUBGRAPH_URLS: urls.join(",") });
    servers.push(gateway);
    await waitUntilReady(gateway, `http://127.0.0.1:${port}/readyz`);
    url = `http://127.0.0.1:${port}/graphql`;
  }, 300_000);

  afterAll(async () => {
    for (const server of servers) server.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exited));
    await database?.drop();
  });

  it("signs up, creates and publishes a listing, and resolves it across subgraphs", async () => {
    const signUp = await graphql(url, `mutation { signUp(input: { email: "dist@example.ro", password: "parola-sigura-1", displayName: "Dana Distribuită" }) { accessToken user { id } } }`);
    expect(signUp.errors).toBeUndefined();
    const token = signUp.data.signUp.accessToken;
    const created = await graphql(url, `mutation ($i: CreateListingInput!) { createListing(input: $i) { id } }`, { i: carListingInput() }, { token });
    const id = created.data.createListing.id;
    await graphql(url, `mutation ($id: ID!) { publishListing(id: $id) { id } }`, { id }, { token });

    const r = await graphql(url, `query ($id: ID!) { listing(id: $id) { title seller { displayName listingCount listings(first: 5) { edges { node { id category { name } } } } } } }`, { id });
    expect(r.errors).toBeUndefined();
    expect(r.data.listing.seller).toMatchObject({ displayName: "Dana Distribuită", listingCount: 1 });
    expect(r.data.listing.seller.listings.edges[0].node).toEqual({ id, category: { name: "Autoturisme" } });
  });

  it("authenticates through the gateway: forged tokens are refused, the viewer reaches the subgraph", async () => {
    const r = await graphql(url, `{ me { id } }`, {}, { token: "forged.token.value" });
    expect(codes(r)).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await graphql(url, `{ myListings { totalCount } }`))).toEqual(["UNAUTHENTICATED"]);
    const signIn = await graphql(url, `mutation { signIn(email: "dist@example.ro", password: "parola-sigura-1") { accessToken } }`, {}, {
      headers: { "user-agent": "PiataWeb/2.0" },
    });
    const token = signIn.data.signIn.accessToken;
    const mine = await graphql(url, `{ myListings { totalCount } mySessions { userAgent current } }`, {}, { token });
    expect(mine.data.myListings.totalCount).toBe(1);
    // The client's User-Agent crosses the HTTP hop to the users subgraph.
    expect(mine.data.mySessions).toContainEqual({ userAgent: "PiataWeb/2.0", current: true });
  });

  it("types a subgraph's refusals across the hop: a wrong password, then the sign-in limit with 429", async () => {
    const attempt = () => graphql(url, `mutation { signIn(email: "limit@example.ro", password: "nu-e-parola-1") { accessToken } }`);
    const wrong = await attempt();
    expect(codes(wrong)).toEqual(["UNAUTHENTICATED"]);
    expect(JSON.stringify(wrong.errors)).not.toContain("127.0.0.1");
    await attempt();
    await attempt();
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(codes(limited)).toEqual(["RATE_LIMITED"]);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("keeps subgraphs to the gateway: a direct call, even with a valid-looking token, is refused and reads nothing", async () => {
    const signIn = await graphql(url, `mutation { signIn(email: "dist@example.ro", password: "parola-sigura-1") { accessToken } }`);
    const token = signIn.data.signIn.accessToken;
    for (const name of ["users", "listings"]) {
      const direct = await graphql(subgraphUrls[name]!, `{ __typename }`, {}, { token });
      expect(direct.status).toBe(401);
      expect(direct.data).toBeUndefined();
      expect(codes(direct)).toEqual(["UNAUTHENTICATED"]);
    }
    const forged = await graphql(subgraphUrls.users!, `{ me { id email } }`, {}, { headers: { "x-gateway-secret": "guess", authorization: `Bearer ${token}` } });
    expect(forged.status).toBe(401);
    expect(forged.data).toBeUndefined();
  });
});
