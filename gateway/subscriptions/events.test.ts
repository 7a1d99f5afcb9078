/**
 * A subscription through the supergraph, without sockets: two small subgraphs in this process (one
 * owns Subscription.messageAdded, the other User.displayName), real pub/sub, the gateway's own data
 * sources. Each event must carry fields of both subgraphs, batched, and released on return().
 */
import { parse, type ExecutionResult, type GraphQLFormattedError } from "graphql";
import { describe, expect, it } from "vitest";
import type { RequestContext } from "../../lib/context.ts";
import { createLogger } from "../../lib/logger.ts";
import { openPubSub } from "../../lib/pubsub.ts";
import { buildSchema, type Subgraph } from "../../lib/subgraph.ts";
import { composeSupergraph } from "../compose.ts";
import type { GatewayContext } from "../context.ts";
import { InProcessDataSource } from "../in-process-data-source.ts";
import { formatErrorFor } from "../plugins/errors.ts";
import { RequestBudget } from "../limits/budget.ts";
import { SubscriptionExecutor, type SubscriptionSettings } from "./events.ts";
import { inProcessEvents } from "./in-process-events.ts";
import { SubscriptionPlans } from "./plans.ts";
import { documentCache } from "./socket-server.ts";

const log = createLogger({ LOG_LEVEL: "silent" });
const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated"])`;

async function world(settings: Partial<SubscriptionSettings> = {}) {
  const pubsub = await openPubSub(undefined, log);
  const userFetches: string[][] = [];
  const chatTypeDefs = parse(`${FEDERATION}
    type Query { ping: String }
    type Message { id: ID! body: String! sender: User! }
    type User @key(fields: "id", resolvable: false) { id: ID! }
    type Subscription { messageAdded(room: ID!): Message! @authenticated }`);
  const chat: Subgraph = {
    name: "chat",
    typeDefs: chatTypeDefs,
    schema: buildSchema(chatTypeDefs, {
      Subscription: {
        messageAdded: {
          subscribe: (_: unknown, { room }: { room: string }) => {
            if (room === "secret") throw new Error("internal: room lookup failed");
            return pubsub.subscribe(`room:${room}`);
          },
          resolve: (payload: { id: string; body: string; senderId: string }) => ({ ...payload, sender: { id: payload.senderId } }),
        },
      },
    }),
    createContext: (base: RequestContext) => base,
  };
  const usersTypeDefs = parse(`${FEDERATION}
    type Query { me: User }
    type User @key(fields: "id") { id: ID! displayName: String! email: String }`);
  const users: Subgraph = {
    name: "users",
    typeDefs: usersTypeDefs,
    schema: buildSchema(usersTypeDefs, {
      User: {
        __resolveReference: (ref: { id: string }) => {
          if (ref.id === "broken") throw new Error("users store unavailable");
          return { id: ref.id, displayName: `Utilizator ${ref.id}` };
        },
        // The user's own: null for anyone else.
        email: (user: { id: string }, _: unknown, ctx: RequestContext) => (ctx.viewer?.userId === user.id ? `u${user.id}@example.ro` : null),
      },
    }),
    createContext: (base: RequestContext) => base,
  };
  // Count the users subgraph's fetches: one per event, however many messages' senders it resolves.
  const usersSource = new InProcessDataSource(users);
  const services = {
    chat: new InProcessDataSource(chat),
    users: {
      process: (options: Parameters<InProcessDataSource["process"]>[0]) => {
        userFetches.push(((options.request.variables?.representations as { id: string }[]) ?? []).map((r) => r.id));
        return usersSource.process(options);
      },
    },
  };
  const plans = new SubscriptionPlans(composeSupergraph([chat, users]));
  const executor = new SubscriptionExecutor(plans, inProcessEvents([chat, users]), () => services, { maxQueuedEvents: 3, ...settings });
  const context = (viewer: GatewayContext["viewer"]): GatewayContext => ({
    requestId: "r",
    viewer,
    locale: "ro",
    log,
    rateLimitKey: "user:1",
    budget: new RequestBudget({ deadlineMs: 10_000, maxObjects: 1000 }),
  });
  return { pubsub, executor, context, userFetches };
}

const viewer = { userId: "1", role: "USER" as const, sessionId: "s", scopes: ["user"] };
const OPERATION = parse(`subscription ($room: ID!) { messageAdded(room: $room) { id body sender { id displayName } } }`);

describe("subscriptions through the query plan", () => {
  it("completes each event with fields other subgraphs own, and stops when the subscriber leaves", async () => {
    const { pubsub, executor, context, userFetches } = await world();
    let overflowed = false;
    const run = (room: string, who = viewer) =>
      executor.subscribe({
        document: OPERATION,
        operationName: undefined,
        variables: { room },
        context: context(who),
        eventContext: () => context(who),
        onOverflow: () => (overflowed = true),
      });
    const events = (await run("r1")) as AsyncIterableIterator<ExecutionResult>;
    expect(typeof events.next).toBe("function");
    await new Promise((r) => setTimeout(r, 10));
    await pubsub.publish("room:r1", { id: "m1", body: "Salut", senderId: "7" });
    await pubsub.publish("room:r2", { id: "x", body: "altă cameră", senderId: "8" });
    await pubsub.publish("room:r1", { id: "m2", body: "Mai e disponibil?", senderId: "9" });
    expect(await events.next()).toEqual({ done: false, value: { data: { messageAdded: { id: "m1", body: "Salut", sender: { id: "7", displayName: "Utilizator 7" } } } } });
    expect((await events.next()).value).toEqual({ data: { messageAdded: { id: "m2", body: "Mai e disponibil?", sender: { id: "9", displayName: "Utilizator 9" } } } });
    expect(userFetches).toEqual([["7"], ["9"]]);
    expect(overflowed).toBe(false);
    await events.return!();
    await pubsub.publish("room:r1", { id: "m3", body: "după", senderId: "7" });
    await new Promise((r) => setTimeout(r, 10));
    expect(userFetches).toHaveLength(2);
  });

  it("sends an event whose other-subgraph fetch failed with that event's errors, and goes on", async () => {
    const { pubsub, executor, context } = await world();
    const events = (await executor.subscribe({
      document: OPERATION,
      operationName: undefined,
      variables: { room: "r3" },
      context: context(viewer),
      eventContext: () => context(viewer),
      onOverflow: () => {},
    })) as AsyncIterableIterator<ExecutionResult>;
    await new Promise((r) => setTimeout(r, 10));
    await pubsub.publish("room:r3", { id: "m1", body: "întâi", senderId: "broken" });
    await pubsub.publish("room:r3", { id: "m2", body: "apoi", senderId: "5" });
    const failed = (await events.next()).value as ExecutionResult;
    expect(failed.errors?.length).toBeGreaterThan(0);
    expect(failed.data).toBeNull();
    expect((await events.next()).value).toEqual({ data: { messageAdded: { id: "m2", body: "apoi", sender: { id: "5", displayName: "Utilizator 5" } } } });
    await events.return!();
  });

  it("answers the owning subgraph's refusal as the operation's result; an internal failure masks as on HTTP", async () => {
    const { executor, context } = await world();
    const base = { document: OPERATION, operationName: undefined, eventContext: () => context(null), onOverflow: () => {} };
    const anonymous = (await executor.subscribe({ ...base, variables: { room: "r1" }, context: context(null) })) as ExecutionResult;
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    const failing = (await executor.subscribe({ ...base, variables: { room: "secret" }, context: context(viewer) })) as ExecutionResult;
    expect(failing.errors).toHaveLength(1);
    // The socket server formats every outgoing error with the HTTP path's formatter (socket-server.ts).
    expect(formatErrorFor(true)(failing.errors![0]! as GraphQLFormattedError).message).not.toMatch(/room lookup/);
  });

  it("fetches an event's viewer-independent fields once for all its subscribers, and nothing is kept afterwards", async () => {
    const { pubsub, executor, context, userFetches } = await world();
    const subscribe = (who: typeof viewer) =>
      executor.subscribe({
        document: OPERATION,
        operationName: undefined,
        variables: { room: "shared" },
        context: context(who),
        eventContext: () => context(who),
        onOverflow: () => {},
      }) as Promise<AsyncIterableIterator<ExecutionResult>>;
    const [a, b] = await Promise.all([subscribe(viewer), subscribe({ ...viewer, userId: "2", sessionId: "s2" })]);
    await new Promise((r) => setTimeout(r, 10));
    await pubsub.publish("room:shared", { id: "m1", body: "Salut", senderId: "7" });
    const expected = { done: false, value: { data: { messageAdded: { id: "m1", body: "Salut", sender: { id: "7", displayName: "Utilizator 7" } } } } };
    const [first, second] = await Promise.all([a.next(), b.next()]);
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(userFetches).toEqual([["7"]]);
    // The next event fetches again: the shared answer lived only while it was being fetched.
    await pubsub.publish("room:shared", { id: "m2", body: "Din nou", senderId: "7" });
    await Promise.all([a.next(), b.next()]);
    expect(userFetches).toEqual([["7"], ["7"]]);
    await Promise.all([a.return!(), b.return!()]);
  });

  it("fetches per subscriber whatever depends on the viewer, and whatever is not listed as independent of it", async () => {
    const withEmail = parse(`subscription ($room: ID!) { messageAdded(room: $room) { id sender { displayName email } } }`);
    for (const [settings, document, senderFields] of [
      [{}, withEmail, (id: string, who: string) => ({ displayName: `Utilizator ${id}`, email: id === who ? `u${id}@example.ro` : null })],
      [{ viewerIndependentFields: {} }, OPERATION, (id: string) => ({ id, displayName: `Utilizator ${id}` })],
    ] as const) {
      const { pubsub, executor, context, userFetches } = await world(settings);
      const subscribe = (who: typeof viewer) =>
        executor.subscribe({ document, operationName: undefined, variables: { room: "r" }, context: context(who), eventContext: () => context(who), onOverflow: () => {} }) as Promise<
          AsyncIterableIterator<ExecutionResult>
        >;
      const [a, b] = await Promise.all([subscribe(viewer), subscribe({ ...viewer, userId: "7", sessionId: "s7" })]);
      await new Promise((r) => setTimeout(r, 10));
      await pubsub.publish("room:r", { id: "m1", body: "Salut", senderId: "7" });
      const [first, second] = await Promise.all([a.next(), b.next()]);
      expect((first.value as ExecutionResult).data).toEqual({ messageAdded: expect.objectContaining({ id: "m1", sender: senderFields("7", "1") }) });
      expect((second.value as ExecutionResult).data).toEqual({ messageAdded: expect.objectContaining({ id: "m1", sender: senderFields("7", "7") }) });
      expect(userFetches).toEqual([["7"], ["7"]]);
      await Promise.all([a.return!(), b.return!()]);
    }
  });

  it("drops a subscriber that falls more than maxQueuedEvents behind, releasing its channel", async () => {
    const { pubsub, executor, context } = await world();
    let overflowed = false;
    const events = (await executor.subscribe({
      document: OPERATION,
      operationName: undefined,
      variables: { room: "slow" },
      context: context(viewer),
      eventContext: () => context(viewer),
      onOverflow: () => (overflowed = true),
    })) as AsyncIterableIterator<ExecutionResult>;
    await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < 5; i++) await pubsub.publish("room:slow", { id: `m${i}`, body: "x", senderId: "1" });
    await new Promise((r) => setTimeout(r, 10));
    expect(overflowed).toBe(true);
    // What was queued is dropped with it: the socket is closing.
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });
});

describe("socket documents", () => {
  it("parse and validate a query text once: the same document object comes back, so its plan is made once", async () => {
    const { buildSchema: sdl } = await import("graphql");
    const documents = documentCache(sdl(`type Query { a: Int } type Subscription { ticks: Int }`));
    const first = documents("subscription { ticks }");
    expect("document" in first).toBe(true);
    expect(documents("subscription { ticks }")).toBe(first);
    const invalid = documents("subscription { nope }");
    expect("errors" in invalid && invalid.errors[0]!.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(documents("subscription { nope }")).toBe(invalid);
  });
});
