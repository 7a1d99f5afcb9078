/**
 * The gateway's graphql-ws endpoint (/graphql, same port as HTTP), with real WebSocket clients: the
 * protocol's close codes as on the reference server, authentication in connection_init, and the
 * same limits as HTTP for operations sent over the socket.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { signUp, type TestUser } from "./utils/fixtures.ts";
import { rawSocket, socketClient, socketRequest, wsUrl } from "./utils/sockets.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const ME = `{ me { id displayName } }`;

describeStack("WebSocket endpoint (graphql-ws)", () => {
  let stack: Stack;
  let user: TestUser;

  beforeAll(async () => {
    stack = await startStack({ WS_CONNECTION_INIT_TIMEOUT_MS: "500" });
    user = await signUp(stack, "Ana Socket");
  });
  afterAll(() => stack?.stop());

  /** A raw socket that has been acknowledged with the user's token. */
  async function acknowledged() {
    const socket = await rawSocket(stack.url);
    socket.send({ type: "connection_init", payload: { authorization: `Bearer ${user.token}` } });
    await socket.message("connection_ack");
    return socket;
  }

  it("runs a query over the socket with the token from connection_init, as over HTTP", async () => {
    const client = socketClient(stack.url, user.token);
    try {
      expect(await socketRequest(client, ME)).toEqual({ data: { me: { id: user.id, displayName: "Ana Socket" } } });
    } finally {
      await client.dispose();
    }
  });

  it("closes with 4403 a connection without a token, with a forged one, and with a revoked session's", async () => {
    const missing = await rawSocket(stack.url);
    missing.send({ type: "connection_init", payload: {} });
    expect((await missing.closed).code).toBe(4403);

    const forged = await rawSocket(stack.url);
    forged.send({ type: "connection_init", payload: { authorization: `Bearer ${user.token.slice(0, -4)}AAAA` } });
    expect((await forged.closed).code).toBe(4403);

    const other = await signUp(stack, "Ion Iesit");
    expect((await stack.request(`mutation { signOut }`, {}, { token: other.token })).errors).toBeUndefined();
    const revoked = await rawSocket(stack.url);
    revoked.send({ type: "connection_init", payload: { authorization: `Bearer ${other.token}` } });
    expect((await revoked.closed).code).toBe(4403);
  });

  it("keeps the protocol's close codes: 4400, 4401, 4406, 4408, 4409, 4429", async () => {
    const invalid = await rawSocket(stack.url);
    invalid.send("{ not json");
    expect((await invalid.closed).code).toBe(4400);

    const early = await rawSocket(stack.url);
    early.send({ id: "1", type: "subscribe", payload: { query: ME } });
    expect((await early.closed).code).toBe(4401);

    // No graphql-transport-ws subprotocol (a client of the old subscriptions-transport-ws asks for
    // "graphql-ws", which the server does not select; ws's client then aborts on its own side).
    const withoutProtocol = new WebSocket(wsUrl(stack.url));
    expect(await new Promise((resolve) => withoutProtocol.on("close", (code) => resolve(code)))).toBe(4406);

    const silent = await rawSocket(stack.url);
    expect((await silent.closed).code).toBe(4408);

    const twice = await acknowledged();
    twice.send({ type: "connection_init", payload: { authorization: `Bearer ${user.token}` } });
    expect((await twice.closed).code).toBe(4429);

    // 4409 needs an operation still open under the id: a query kept busy is enough.
    const duplicate = await acknowledged();
    const slow = `{ ${Array.from({ length: 10 }, (_, i) => `l${i}: listings(first: 100) { totalCount }`).join(" ")} }`;
    duplicate.send({ id: "same", type: "subscribe", payload: { query: slow } });
    duplicate.send({ id: "same", type: "subscribe", payload: { query: slow } });
    expect((await duplicate.closed).code).toBe(4409);
  });

  it("answers ping with pong", async () => {
    const socket = await acknowledged();
    socket.send({ type: "ping", payload: { at: 1 } });
    expect(await socket.message("pong")).toMatchObject({ type: "pong" });
    socket.socket.close(1000);
  });

  it("applies the document and query limits to socket operations, with the same typed errors as HTTP", async () => {
    const socket = await acknowledged();
    const huge = `{ me { id } } # ${"x".repeat(30_000)}`;
    socket.send({ id: "big", type: "subscribe", payload: { query: huge } });
    const big = await socket.message("error");
    expect(big).toMatchObject({ id: "big", payload: [{ extensions: { code: "QUERY_TOO_COMPLEX", limit: "documentBytes" } }] });

    let nested = "id";
    for (let i = 0; i < 6; i++) nested = `seller { listings(first: 50) { edges { node { id ${nested} } } } }`;
    socket.send({ id: "deep", type: "subscribe", payload: { query: `{ listings(first: 1) { edges { node { ${nested} } } } }` } });
    const deep = await socket.message("next");
    expect(deep).toMatchObject({ id: "deep", payload: { errors: [{ extensions: { code: "QUERY_TOO_COMPLEX", limit: "depth" } }] } });

    socket.send({ id: "bad", type: "subscribe", payload: { query: `{ me { nope } }` } });
    expect(await socket.message("error")).toMatchObject({ id: "bad", payload: [{ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }] });

    // The socket is still usable after refusals.
    socket.send({ id: "ok", type: "subscribe", payload: { query: ME } });
    expect(await socket.message("next")).toMatchObject({ id: "ok", payload: { data: { me: { id: user.id } } } });
    socket.socket.close(1000);
  });

  it("refuses a message larger than the body limit by closing the socket (1009)", async () => {
    const socket = await acknowledged();
    socket.send({ id: "huge", type: "subscribe", payload: { query: `{ me { id } }`, variables: { pad: "x".repeat(120_000) } } });
    expect((await socket.closed).code).toBe(1009);
  });

  it("closes open sockets with 1001 when the gateway stops", async () => {
    const own = await startStack();
    const member = await signUp(own, "Pleacă Acum");
    const socket = await rawSocket(own.url);
    socket.send({ type: "connection_init", payload: { authorization: `Bearer ${member.token}` } });
    await socket.message("connection_ack");
    await own.stop();
    expect((await socket.closed).code).toBe(1001);
  });
});

describeStack("WebSocket rate limits", () => {
  let stack: Stack;
  afterAll(() => stack?.stop());

  it("spends the user's request budget per connection and per operation", async () => {
    stack = await startStack({ RATE_LIMIT_REQUESTS_PER_MINUTE: "6" });
    const user = await signUp(stack, "Maria Grabita");
    const socket = await rawSocket(stack.url);
    socket.send({ type: "connection_init", payload: { authorization: `Bearer ${user.token}` } });
    await socket.message("connection_ack");
    // signUp spent the address's budget; the socket spends the user's: the connection, then 5 operations.
    for (let i = 0; i < 5; i++) {
      socket.send({ id: `q${i}`, type: "subscribe", payload: { query: ME } });
      expect(await socket.message("next")).toMatchObject({ id: `q${i}`, payload: { data: { me: { id: user.id } } } });
    }
    socket.send({ id: "over", type: "subscribe", payload: { query: ME } });
    const refused = await socket.message("error");
    expect(refused).toMatchObject({ id: "over", payload: [{ extensions: { code: "RATE_LIMITED" } }] });
    expect((refused.payload as { extensions: { retryAfter: number } }[])[0]!.extensions.retryAfter).toBeGreaterThan(0);
    // A new connection is refused too, with "try again later".
    const another = await rawSocket(stack.url);
    another.send({ type: "connection_init", payload: { authorization: `Bearer ${user.token}` } });
    expect((await another.closed).code).toBe(1013);
  });
});

