/**
 * Interoperability: the distributed subgraphs are standard federation subgraphs, so an off-the-shelf
 * gateway serves them. Hive Gateway (@graphql-hive/gateway-runtime, embedded in this test process)
 * composes nothing of ours at run time: it reads the supergraph SDL and reaches the same subgraph
 * processes as our gateways, over HTTP for queries and mutations and over graphql-ws for
 * subscriptions. All it is told about us is the subgraphs' access rule: the gateway secret in
 * `x-gateway-secret` (HTTP) and in connection_init's `gatewaySecret` (WebSocket), and the client's
 * `authorization` forwarded as is. Access decisions stay with the subgraphs.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { composeServices } from "@apollo/composition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUBGRAPHS } from "../subgraphs/index.ts";
import { codes, graphql } from "./utils/client.ts";
import { unavailable } from "./utils/databases.ts";
import { startDeployment, type Deployment } from "./utils/distributed.ts";
import { carListingInput } from "./utils/fixtures.ts";
import { createGatewayRuntime, type HiveRuntime } from "./utils/hive-runtime.ts";
import { redisUnavailableFor } from "./utils/redis.ts";

// Runs in the PostgreSQL project only (vitest.config.ts): the processes share a database server.
const redisUnavailable = await redisUnavailableFor("the Hive Gateway interoperability test");

/** Given to every process of the deployment, and to Hive: what a subgraph asks of any gateway. */
const SUBGRAPH_SECRET = crypto.randomBytes(32).toString("base64url");

describe.skipIf(!!unavailable || !!redisUnavailable)("Hive Gateway in front of the distributed subgraphs", () => {
  let deployment: Deployment;
  let hive: HiveRuntime;
  let hiveServer: http.Server;
  /** Hive's /graphql. */
  let url: string;
  /** One of our gateways (chat's GATEWAY_URL): the seller's listing is made through it. */
  let ours: string;
  let listingId: string;
  let seller: { id: string; token: string };

  beforeAll(async () => {
    deployment = await startDeployment({ env: { SUBGRAPH_SECRET } });
    ours = deployment.gateways[0]!;
    // The supergraph as @apollo/composition (or rover) writes it. Hive takes it as is, the
    // `for: SECURITY` links included (gateway/compose.ts drops those for Apollo Gateway only), and,
    // without its auth plugins configured, leaves @authenticated to the subgraphs.
    const composed = composeServices(
      Object.entries(SUBGRAPHS).map(([name, { typeDefs }]) => ({ name, typeDefs, url: deployment.subgraphUrls[name]! })),
    );
    expect(composed.errors).toBeUndefined();
    const supergraph = composed.supergraphSdl!;
    expect(supergraph).toContain("for: SECURITY");
    hive = createGatewayRuntime({
      supergraph,
      logging: "error",
      // The transports' kinds ("http" from the supergraph, "ws" below) load @graphql-mesh/transport-<kind>.
      transportEntries: {
        "*": {
          headers: [["x-gateway-secret", SUBGRAPH_SECRET]],
          options: {
            subscriptions: {
              kind: "ws",
              location: "/graphql",
              // Interpolated per operation: one subgraph connection per client token.
              options: { connectionParams: { gatewaySecret: SUBGRAPH_SECRET, authorization: "{context.headers.authorization}" } },
            },
          },
        },
      },
      // The client's access token reaches the subgraphs' HTTP requests unchanged.
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get("authorization") }),
      },
    });
    hiveServer = http.createServer(hive);
    await new Promise<void>((resolve) => hiveServer.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(hiveServer.address() as AddressInfo).port}/graphql`;

    seller = await signUpAt(ours, "Sanda Vânzătoarea");
    const created = await graphql(ours, `mutation ($i: CreateListingInput!) { createListing(input: $i) { id } }`, { i: carListingInput() }, { token: seller.token });
    expect(created.errors).toBeUndefined();
    listingId = created.data.createListing.id;
    const published = await graphql(ours, `mutation ($id: ID!) { publishListing(id: $id) { id } }`, { id: listingId }, { token: seller.token });
    expect(published.errors).toBeUndefined();
  }, 300_000);

  afterAll(async () => {
    if (hiveServer) {
      hiveServer.closeAllConnections();
      await new Promise<void>((resolve) => hiveServer.close(() => resolve()));
    }
    await hive?.dispose();
    await deployment?.stop();
  });

  it("answers a query across subgraphs, and the signed-in viewer's own fields with the forwarded token", async () => {
    const r = await graphql(url, `query ($id: ID!) { listing(id: $id) { id title seller { id displayName listingCount } } }`, { id: listingId });
    expect(r.errors).toBeUndefined();
    expect(r.data.listing).toEqual({ id: listingId, title: TITLE, seller: { id: seller.id, displayName: "Sanda Vânzătoarea", listingCount: 1 } });

    const mine = await graphql(url, `{ me { id displayName } conversations(first: 5) { totalCount edges { node { id } } } }`, {}, { token: seller.token });
    expect(mine.errors).toBeUndefined();
    expect(mine.data).toEqual({ me: { id: seller.id, displayName: "Sanda Vânzătoarea" }, conversations: { totalCount: 0, edges: [] } });
  });

  it("leaves the access decision to the subgraphs: no token or a forged one is UNAUTHENTICATED", async () => {
    const anonymous = await graphql(url, `{ me { id } }`);
    expect(anonymous.data).toEqual({ me: null });
    // Hive names the subgraph an error came from: users refused, not Hive.
    expect(anonymous.errors).toEqual([expect.objectContaining({ path: ["me"], extensions: { code: "UNAUTHENTICATED", serviceName: "users" } })]);
    // Hive verifies no token at all: the users subgraph refuses this one.
    const forged = await graphql(url, `{ me { id } }`, {}, { token: "forged.token.value" });
    expect(codes(forged)).toEqual(["UNAUTHENTICATED"]);
    expect(forged.errors![0]!.extensions!.serviceName).toBe("users");
    // Over graphql-ws too: the chat subgraph refuses a subscription that carries no viewer.
    const events = await subscribeSse(url, `subscription { messageAdded { body } }`);
    try {
      const refused = await events.next(10_000);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors).toEqual([expect.objectContaining({ path: ["messageAdded"], extensions: { code: "UNAUTHENTICATED", serviceName: "chat" } })]);
    } finally {
      events.close();
    }
  });

  it("delivers a chat subscription over SSE, the event joined with users' displayName and listings' title", async () => {
    const buyer = await signUpAt(url, "Bogdan Cumpărătorul"); // a mutation through Hive as well
    const events = await subscribeSse(
      url,
      `subscription { messageAdded { body sender { id displayName } conversation { listing { id title seller { displayName } } } } }`,
      seller.token,
    );
    try {
      await new Promise((r) => setTimeout(r, 500)); // Hive's subscription reaches the chat process
      const started = await graphql(url, START, { listingId, body: "Bună ziua, mai este disponibilă?" }, { token: buyer.token });
      expect(started.errors).toBeUndefined();
      const event = await events.next(10_000);
      expect(event.errors).toBeUndefined();
      expect(event.data).toMatchObject({
        messageAdded: {
          body: "Bună ziua, mai este disponibilă?",
          sender: { id: buyer.id, displayName: "Bogdan Cumpărătorul" },
          conversation: { listing: { id: listingId, title: TITLE, seller: { displayName: "Sanda Vânzătoarea" } } },
        },
      });

      // A reply sent through our own gateway reaches the same Hive subscriber.
      const conversationId = started.data.startConversation.id as string;
      const reply = await graphql(ours, `mutation ($id: ID!, $b: String!) { sendMessage(conversationId: $id, body: $b) { id } }`, { id: conversationId, b: "Da, este." }, { token: seller.token });
      expect(reply.errors).toBeUndefined();
      expect((await events.next(10_000)).data).toMatchObject({ messageAdded: { body: "Da, este.", sender: { displayName: "Sanda Vânzătoarea" } } });

      // The conversations page, through Hive, with fields of all three subgraphs.
      const page = await graphql(
        url,
        `{ conversations(first: 5) { totalCount edges { node { id listing { title } otherParticipant { displayName } lastMessage { body sender { displayName } } } } } }`,
        {},
        { token: buyer.token },
      );
      expect(page.errors).toBeUndefined();
      expect(page.data.conversations.totalCount).toBe(1);
      expect(page.data.conversations.edges[0].node).toMatchObject({
        id: conversationId,
        listing: { title: TITLE },
        otherParticipant: { displayName: "Sanda Vânzătoarea" },
        lastMessage: { body: "Da, este.", sender: { displayName: "Sanda Vânzătoarea" } },
      });
    } finally {
      events.close();
    }
  });
});

const TITLE = carListingInput().title;
const START = `mutation ($listingId: ID!, $body: String!) { startConversation(listingId: $listingId, body: $body) { id } }`;

async function signUpAt(url: string, displayName: string): Promise<{ id: string; token: string }> {
  const email = `hive-${crypto.randomBytes(5).toString("hex")}@example.ro`;
  const r = await graphql(url, `mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken user { id } } }`, {
    i: { email, password: "parola-sigura-1", displayName },
  });
  expect(r.errors).toBeUndefined();
  return { id: r.data.signUp.user.id, token: r.data.signUp.accessToken };
}

interface SseResult {
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A subscription over GraphQL over SSE (what Hive serves by default): its events, pulled one at a time. */
async function subscribeSse(url: string, query: string, token?: string) {
  const abort = new AbortController();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const queue: SseResult[] = [];
  const waiting: ((r: SseResult) => void)[] = [];
  const push = (r: SseResult) => (waiting.length ? waiting.shift()!(r) : queue.push(r));
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = message.split("\n");
          const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim();
          const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
          if (data && (event === undefined || event === "next")) push(JSON.parse(data) as SseResult);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    next(timeoutMs = 5000): Promise<SseResult> {
      if (queue.length) return Promise.resolve(queue.shift()!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((r) => {
          clearTimeout(timer);
          resolve(r);
        });
      });
    },
    close: () => abort.abort(),
  };
}
