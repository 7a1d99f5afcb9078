/**
 * Distributed mode: each subgraph in its own process, the gateway fetching them over HTTP, all on a
 * shared PostgreSQL database. The same public operations must behave as in embedded mode.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, graphql } from "./utils/client.ts";
import { startDeployment, type Deployment } from "./utils/distributed.ts";
import { carListingInput } from "./utils/fixtures.ts";
import { redisUnavailableFor } from "./utils/redis.ts";
import { rawSocket, socketClient, subscribeTo } from "./utils/sockets.ts";
import { unavailable } from "./utils/databases.ts";

// Runs in the PostgreSQL project only (vitest.config.ts): the processes share a database server.
const redisUnavailable = await redisUnavailableFor("the distributed-mode tests");

describe.skipIf(!!unavailable || !!redisUnavailable)("distributed mode: gateway and subgraphs as separate processes", () => {
  let deployment: Deployment;
  let url: string;
  let subgraphUrls: Record<string, string>;

  beforeAll(async () => {
    // Sign-in attempts limited for real (in the users subgraph process): a refusal must cross the HTTP
    // hop as a 429, not as an internal error.
    deployment = await startDeployment({ env: { RATE_LIMIT_SIGN_IN_PER_ACCOUNT: "3" }, gateways: 2 });
    url = deployment.gateways[0]!;
    subgraphUrls = deployment.subgraphUrls;
  }, 300_000);

  afterAll(() => deployment?.stop());

  it("signs up, creates and publishes a listing, and resolves it across subgraphs", async () => {
    const signUp = await graphql(url, `mutation { signUp(input: { email: "${DIST_EMAIL}", password: "parola-sigura-1", displayName: "Dana Distribuită" }) { accessToken user { id } } }`);
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
    const signIn = await graphql(url, `mutation { signIn(email: "${DIST_EMAIL}", password: "parola-sigura-1") { accessToken } }`, {}, {
      headers: { "user-agent": "PiataWeb/2.0" },
    });
    const token = signIn.data.signIn.accessToken;
    const mine = await graphql(url, `{ myListings { totalCount } mySessions { userAgent current } }`, {}, { token });
    expect(mine.data.myListings.totalCount).toBe(1);
    // The client's User-Agent crosses the HTTP hop to the users subgraph.
    expect(mine.data.mySessions).toContainEqual({ userAgent: "PiataWeb/2.0", current: true });
  });

  it("types a subgraph's refusals across the hop: a wrong password, then the sign-in limit with 429", async () => {
    const attempt = () => graphql(url, `mutation { signIn(email: "${LIMIT_EMAIL}", password: "nu-e-parola-1") { accessToken } }`);
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
    const signIn = await graphql(url, `mutation { signIn(email: "${DIST_EMAIL}", password: "parola-sigura-1") { accessToken } }`);
    const token = signIn.data.signIn.accessToken;
    for (const name of Object.keys(subgraphUrls)) {
      const direct = await graphql(subgraphUrls[name]!, `{ __typename }`, {}, { token });
      expect(direct.status).toBe(401);
      expect(direct.data).toBeUndefined();
      expect(codes(direct)).toEqual(["UNAUTHENTICATED"]);
    }
    const forged = await graphql(subgraphUrls.users!, `{ me { id email } }`, {}, { headers: { "x-gateway-secret": "guess", authorization: `Bearer ${token}` } });
    expect(forged.status).toBe(401);
    expect(forged.data).toBeUndefined();
  });

  it("streams a chat message sent through one gateway to a subscriber on the other, with fields of three subgraphs", async () => {
    const [a, b] = deployment.gateways as [string, string];
    const seller = await signUpAt(a, "Sorin Vânzătorul");
    const buyer = await signUpAt(b, "Bianca Cumpărătoarea");
    const created = await graphql(a, `mutation ($i: CreateListingInput!) { createListing(input: $i) { id } }`, { i: carListingInput() }, { token: seller.token });
    const listingId = created.data.createListing.id as string;
    await graphql(a, `mutation ($id: ID!) { publishListing(id: $id) { id } }`, { id: listingId }, { token: seller.token });
    const client = socketClient(b, seller.token);
    try {
      const events = subscribeTo(client, `subscription { messageAdded { body sender { displayName } conversation { listing { id title } } } }`);
      await new Promise((r) => setTimeout(r, 300)); // the gateway's subscription reaches the chat process
      const started = await graphql(a, START, { listingId, body: "Salut, se poate negocia?" }, { token: buyer.token });
      expect(started.errors).toBeUndefined();
      const event = await events.next(10_000);
      expect(event.errors).toBeUndefined();
      expect(event.data).toMatchObject({
        messageAdded: { body: "Salut, se poate negocia?", sender: { displayName: "Bianca Cumpărătoarea" }, conversation: { listing: { id: listingId } } },
      });
      // The other participant's subscription to a conversation that is not theirs: that operation's error.
      const stranger = await signUpAt(a, "Ion Străinul");
      const strangerClient = socketClient(a, stranger.token);
      const refused = await subscribeTo(strangerClient, `subscription ($id: ID) { messageAdded(conversationId: $id) { id } }`, {
        id: started.data.startConversation.id,
      }).next(10_000);
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
      await strangerClient.dispose();
    } finally {
      await client.dispose();
    }
  });

  it("searches through the search process, and alerts a saved search's owner on the other gateway", async () => {
    const [a, b] = deployment.gateways as [string, string];
    const seller = await signUpAt(a, "Sabina Vânzătoarea");
    const buyer = await signUpAt(b, "Bogdan Căutătorul");
    const saved = await graphql(b, `mutation { saveSearch(name: "Logan diesel", query: "logan", filter: { categorySlug: "autoturisme", attributes: [{ key: "fuel", anyOf: ["diesel"] }] }) { id } }`, {}, { token: buyer.token });
    expect(saved.errors).toBeUndefined();
    const client = socketClient(b, buyer.token);
    try {
      const events = subscribeTo(client, `subscription { savedSearchMatched { savedSearch { id } listings { id title seller { displayName } } } }`);
      await new Promise((r) => setTimeout(r, 300)); // the gateway's subscription reaches the search process
      const created = await graphql(a, `mutation ($i: CreateListingInput!) { createListing(input: $i) { id } }`, { i: carListingInput() }, { token: seller.token });
      const listingId = created.data.createListing.id as string;
      await graphql(a, `mutation ($id: ID!) { publishListing(id: $id) { id } }`, { id: listingId }, { token: seller.token });
      const found = await graphql(b, `{ search(query: "dacia lógan", filter: { county: "CJ" }) { totalCount edges { node { listing { id } highlight } } } }`);
      expect(found.errors).toBeUndefined();
      expect(found.data.search.edges.map((e: { node: { listing: { id: string } } }) => e.node.listing.id)).toContain(listingId);
      const event = await events.next(10_000);
      expect(event.errors).toBeUndefined();
      expect(event.data).toEqual({
        savedSearchMatched: { savedSearch: { id: saved.data.saveSearch.id }, listings: [{ id: listingId, title: expect.any(String), seller: { displayName: "Sabina Vânzătoarea" } }] },
      });
    } finally {
      await client.dispose();
    }
  });

  it("ends a session on every gateway within a second: its token refused, its sockets closed with 4403", async () => {
    const [a, b] = deployment.gateways as [string, string];
    const user = await signUpAt(a, "Dora Deconectată");
    const socket = await rawSocket(b);
    socket.send({ type: "connection_init", payload: { authorization: `Bearer ${user.token}` } });
    await socket.message("connection_ack");
    expect(codes(await graphql(b, `{ me { id } }`, {}, { token: user.token }))).toEqual([]);
    const signedOut = Date.now();
    expect((await graphql(a, `mutation { signOut }`, {}, { token: user.token })).errors).toBeUndefined();
    expect((await socket.closed).code).toBe(4403);
    let refused = false;
    while (!refused && Date.now() - signedOut < 1000) refused = codes(await graphql(b, `{ me { id } }`, {}, { token: user.token }))[0] === "UNAUTHENTICATED";
    expect(refused).toBe(true);
  });
});

// The deployment's counters live in the shared Redis, which outlives a run: e-mails of their own per run,
// or the sign-in limit of an earlier run's account would still be counting.
const RUN = Math.random().toString(36).slice(2, 10);
const DIST_EMAIL = `dist-${RUN}@example.ro`;
const LIMIT_EMAIL = `limit-${RUN}@example.ro`;

const START = `mutation ($listingId: ID!, $body: String!) { startConversation(listingId: $listingId, body: $body) { id } }`;

async function signUpAt(url: string, displayName: string): Promise<{ id: string; token: string }> {
  const email = `dist-${Math.random().toString(36).slice(2)}@example.ro`;
  const r = await graphql(url, `mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken user { id } } }`, {
    i: { email, password: "parola-sigura-1", displayName },
  });
  expect(r.errors).toBeUndefined();
  return { id: r.data.signUp.user.id, token: r.data.signUp.accessToken };
}
