/**
 * Chat's subscriptions at the subgraph level: graphql-js subscribe() on the chat subgraph's own schema
 * (the very subgraph the stack serves, with its real database and pub/sub), while the writes that
 * cause the events go through the gateway's HTTP API like any client's. Through the gateway's
 * WebSocket, with other subgraphs' fields in each event: tests/chat-live.test.ts.
 */
import { parse, subscribe, type ExecutionResult } from "graphql";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTokenService } from "../lib/auth/tokens.ts";
import { scopesFor, type Viewer } from "../lib/context.ts";
import { loadConfig } from "../lib/env.ts";
import { LateGraphClient } from "../lib/graph-client.ts";
import { createLogger } from "../lib/logger.ts";
import { openSharedState, type SharedState } from "../lib/shared-state.ts";
import type { Subgraph, SubgraphDeps } from "../lib/subgraph.ts";
import { createChatSubgraph } from "../subgraphs/chat/subgraph.ts";
import { createListing, sendMessage, signUp, signUpAdmin, startConversation, type TestUser } from "./utils/fixtures.ts";
import { REDIS_URL, redisUnavailableFor } from "./utils/redis.ts";
import { describeStack, startStack, TEST_JWT_SECRET, type Stack } from "./utils/stack.ts";

// The stack's own chat subgraph: the registry builds it through this module, which keeps what it built.
const built = vi.hoisted(() => [] as Subgraph[]);
vi.mock("../subgraphs/chat/subgraph.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../subgraphs/chat/subgraph.ts")>();
  return {
    ...original,
    createChatSubgraph: (deps: SubgraphDeps) => {
      const subgraph = original.createChatSubgraph(deps);
      built.push(subgraph);
      return subgraph;
    },
  };
});

const log = createLogger({ LOG_LEVEL: "silent" });
const MESSAGES = `subscription ($id: ID) { messageAdded(conversationId: $id) { id body isMine createdAt sender { id } conversation { id } } }`;
const UPDATES = `subscription { conversationUpdated { id unreadCount otherParticipantReadAt blocked lastMessage { body } } }`;
const READ = `mutation ($id: ID!) { markConversationRead(conversationId: $id) { id } }`;

type Events = AsyncIterableIterator<ExecutionResult>;
const open: Events[] = [];

const viewerOf = (user: TestUser, role: Viewer["role"] = "USER"): Viewer => ({ userId: user.id, role, sessionId: "subscription-test", scopes: scopesFor(role) });

/** subscribe() on the subgraph's schema, as `user`: the event stream, or the refusal as a result. */
async function subscribeAs(chat: Subgraph, user: TestUser | null, query: string, variables: Record<string, unknown> = {}, role?: Viewer["role"]) {
  const contextValue = chat.createContext({ requestId: "subscription-test", viewer: user ? viewerOf(user, role) : null, locale: "ro", log });
  const result = await subscribe({ schema: chat.schema, document: parse(query), variableValues: variables, contextValue });
  if (Symbol.asyncIterator in result) open.push(result);
  return result;
}

/** A subscription's events, pulled one at a time. */
interface Listener {
  next(timeoutMs?: number): Promise<ExecutionResult<any>>;
}

async function eventsOf(chat: Subgraph, user: TestUser, query: string, variables?: Record<string, unknown>): Promise<Listener> {
  const result = await subscribeAs(chat, user, query, variables);
  if (!(Symbol.asyncIterator in result)) throw new Error(`subscription refused: ${JSON.stringify(result.errors)}`);
  // graphql-subscriptions joins the channel on the first next(), and joining completes asynchronously
  // (a round trip with Redis): ask for the first event now, and let it settle before anything is sent.
  let pending = result.next();
  await new Promise((resolve) => setTimeout(resolve, 150));
  return {
    async next(timeoutMs = 5000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs)));
      try {
        const event = await Promise.race([pending, timeout]);
        if (event.done) throw new Error("the subscription ended");
        pending = result.next();
        return event.value;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

const codesOf = (result: ExecutionResult) => (result.errors ?? []).map((e) => e.extensions?.code);

afterEach(async () => {
  await Promise.all(open.splice(0).map((events) => events.return?.()));
});

describeStack("chat subscriptions on the chat subgraph", () => {
  let stack: Stack;
  let chat: Subgraph;
  let seller: TestUser;
  let buyer: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    stack = await startStack();
    expect(built).toHaveLength(1);
    chat = built[0]!;
    [seller, buyer, stranger] = await Promise.all([signUp(stack, "Vasile Vânzătorul"), signUp(stack, "Maria Cumpărătoarea"), signUp(stack, "Ion Străinul")]);
  });
  afterAll(() => stack?.stop());

  it("delivers a conversation's new messages to a participant subscribed to it, and no other conversation's", async () => {
    const id = await startConversation(stack, buyer, await createListing(stack, seller));
    const other = await startConversation(stack, buyer, await createListing(stack, seller));
    const events = await eventsOf(chat, seller, MESSAGES, { id });
    await sendMessage(stack, buyer, other, "În altă conversație");
    const sent = await sendMessage(stack, buyer, id, "Pot veni sâmbătă la 10?");
    const event = await events.next();
    expect(event.errors).toBeUndefined();
    expect(event.data!.messageAdded).toEqual({
      id: sent,
      body: "Pot veni sâmbătă la 10?",
      isMine: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      sender: { id: buyer.id },
      conversation: { id },
    });
    await sendMessage(stack, seller, id, "Da, vă aștept.");
    expect((await events.next()).data!.messageAdded).toMatchObject({ body: "Da, vă aștept.", isMine: true, sender: { id: seller.id } });
  });

  it("without a conversation, delivers every message of the user's conversations, theirs included, and nobody else's", async () => {
    const [me, otherSeller] = await Promise.all([signUp(stack, "Ana Abonată"), signUp(stack, "Alt Vânzător")]);
    const events = await eventsOf(chat, me, MESSAGES);
    const notMine = await startConversation(stack, stranger, await createListing(stack, otherSeller), "Conversația altora");
    await sendMessage(stack, otherSeller, notMine, "Tot a altora");
    const mine = await startConversation(stack, me, await createListing(stack, otherSeller), "Scriu eu prima");
    expect((await events.next()).data!.messageAdded).toMatchObject({ body: "Scriu eu prima", isMine: true, conversation: { id: mine } });
    await sendMessage(stack, otherSeller, mine, "Răspunde vânzătorul");
    expect((await events.next()).data!.messageAdded).toMatchObject({ body: "Răspunde vânzătorul", isMine: false, sender: { id: otherSeller.id } });
  });

  it("tells both participants of new conversations, unread counts and read receipts, read fresh for every event", async () => {
    const [shop, client] = await Promise.all([signUp(stack, "Magazin Live"), signUp(stack, "Client Live")]);
    const shopUpdates = await eventsOf(chat, shop, UPDATES);
    const clientUpdates = await eventsOf(chat, client, UPDATES);
    const id = await startConversation(stack, client, await createListing(stack, shop), "Prima întrebare");
    expect((await shopUpdates.next()).data!.conversationUpdated).toEqual({
      id,
      unreadCount: 1,
      otherParticipantReadAt: expect.any(String),
      blocked: false,
      lastMessage: { body: "Prima întrebare" },
    });
    expect((await clientUpdates.next()).data!.conversationUpdated).toMatchObject({ id, unreadCount: 0, otherParticipantReadAt: null });
    // The same subscription (one context) reads the new count: nothing is served from an earlier event.
    await sendMessage(stack, client, id, "A doua întrebare");
    expect((await shopUpdates.next()).data!.conversationUpdated).toMatchObject({ id, unreadCount: 2, lastMessage: { body: "A doua întrebare" } });
    await clientUpdates.next();
    expect((await stack.request(READ, { id }, { token: shop.token })).errors).toBeUndefined();
    expect((await shopUpdates.next()).data!.conversationUpdated).toMatchObject({ id, unreadCount: 0 });
    const receipt = (await clientUpdates.next()).data!.conversationUpdated;
    expect(Date.parse(receipt.otherParticipantReadAt)).toBeGreaterThan(Date.now() - 60_000);

    await stack.request(`mutation ($id: ID!) { blockUser(userId: $id) { id } }`, { id: client.id }, { token: shop.token });
    expect((await clientUpdates.next()).data!.conversationUpdated).toMatchObject({ id, blocked: true });
  });

  it("refuses a subscription to someone else's conversation with NOT_FOUND, as the query does", async () => {
    const id = await startConversation(stack, buyer, await createListing(stack, seller));
    for (const target of [id, "00000000-0000-4000-8000-000000000000", "nu-e-un-id"]) {
      const refused = await subscribeAs(chat, stranger, MESSAGES, { id: target });
      expect(Symbol.asyncIterator in refused).toBe(false);
      expect(codesOf(refused as ExecutionResult)).toEqual(["NOT_FOUND"]);
      expect((refused as ExecutionResult).errors![0]!.message).toBe("Conversația nu există.");
    }
    for (const query of [MESSAGES, UPDATES]) {
      expect(codesOf((await subscribeAs(chat, null, query, { id })) as ExecutionResult)).toEqual(["UNAUTHENTICATED"]);
    }
    const admin = await signUpAdmin(stack);
    expect(Symbol.asyncIterator in (await subscribeAs(chat, admin, MESSAGES, { id }, "ADMIN"))).toBe(true);
  });
});

// Two processes share events only through Redis: a chat subgraph on a pub/sub of its own hears the
// stack's writes when both use the same Redis, with the payloads' dates come back from JSON.
const redisUnavailable = await redisUnavailableFor("the chat subscription test across processes (Redis pub/sub)");

describe.skipIf(!!redisUnavailable)("chat subscriptions across processes, through Redis", () => {
  describeStack("a chat subgraph with its own pub/sub connection", () => {
    let stack: Stack;
    let shared: SharedState;
    let chat: Subgraph;

    beforeAll(async () => {
      stack = await startStack({ REDIS_URL });
      const config = loadConfig({ REDIS_URL, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: "silent" });
      shared = await openSharedState(config, log);
      const deps = { config, db: stack.app.db, log, tokens: createTokenService(TEST_JWT_SECRET, 900), graph: new LateGraphClient(), ...shared };
      chat = createChatSubgraph(deps);
    });
    afterAll(async () => {
      await shared?.close();
      await stack?.stop();
    });

    it("receives a message written through the other process's gateway", async () => {
      const [seller, buyer] = await Promise.all([signUp(stack, "Vânzător Redis"), signUp(stack, "Cumpărător Redis")]);
      const id = await startConversation(stack, buyer, await createListing(stack, seller));
      const events = await eventsOf(chat, seller, MESSAGES, { id });
      const updates = await eventsOf(chat, seller, UPDATES);
      await sendMessage(stack, buyer, id, "Trimis prin alt proces");
      const event = await events.next();
      expect(event.errors).toBeUndefined();
      expect(event.data!.messageAdded).toMatchObject({ body: "Trimis prin alt proces", sender: { id: buyer.id }, conversation: { id } });
      expect((await updates.next()).data!.conversationUpdated).toMatchObject({ id, unreadCount: 2, lastMessage: { body: "Trimis prin alt proces" } });
    });
  });
});
