/**
 * Chat, live: graphql-ws clients subscribed through the gateway while others write over HTTP. Each
 * event carries fields three subgraphs own (chat's message, users' displayName, listings' title).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createListing, signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { rawSocket, socketClient, subscribeTo, type Events } from "./utils/sockets.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const START = `mutation ($listingId: ID!, $body: String!) { startConversation(listingId: $listingId, body: $body) { id } }`;
const SEND = `mutation ($id: ID!, $body: String!) { sendMessage(conversationId: $id, body: $body) { id } }`;
const READ = `mutation ($id: ID!) { markConversationRead(conversationId: $id) { id } }`;
const MESSAGES_OF_MINE = `subscription {
  messageAdded { id body sender { id displayName } conversation { id listing { title price { formatted } } } }
}`;
const MESSAGES_OF = `subscription ($id: ID) { messageAdded(conversationId: $id) { id body } }`;
const UPDATES = `subscription { conversationUpdated { id unreadCount otherParticipantReadAt lastMessage { body } } }`;

/** Subscribing is a round trip to the pub/sub: wait until a subscription surely listens. */
const settle = () => new Promise((r) => setTimeout(r, 150));

describeStack("chat, live through the gateway", () => {
  let stack: Stack;
  let seller: TestUser;
  let buyer: TestUser;
  let listingId: string;
  const clients: ReturnType<typeof socketClient>[] = [];
  const client = (user: TestUser) => {
    const c = socketClient(stack.url, user.token);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    stack = await startStack({ MAX_SUBSCRIPTIONS_PER_CONNECTION: "3" });
    [seller, buyer] = await Promise.all([signUp(stack, "Vasile Vânzătorul"), signUp(stack, "Maria Cumpărătoarea")]);
    listingId = await createListing(stack, seller);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await stack?.stop();
  });

  async function conversation(body = "Bună ziua, mai este disponibil?"): Promise<string> {
    const r = await stack.request(START, { listingId, body }, { token: buyer.token });
    expect(r.errors).toBeUndefined();
    return r.data.startConversation.id;
  }

  it("delivers a new message to the seller with the sender's name and the listing's title in the same event", async () => {
    const events = subscribeTo(client(seller), MESSAGES_OF_MINE);
    await settle();
    const id = await conversation("Bună ziua, mai este disponibil?");
    const event = await events.next();
    expect(event.errors).toBeUndefined();
    const listing = (await stack.request(`query ($id: ID!) { listing(id: $id) { title price { formatted } } }`, { id: listingId })).data.listing;
    expect(event.data).toMatchObject({
      messageAdded: {
        body: "Bună ziua, mai este disponibil?",
        sender: { id: buyer.id, displayName: "Maria Cumpărătoarea" },
        conversation: { id, listing },
      },
    });
    events.close();
  });

  it("keeps a conversation's order and reaches only that conversation's subscribers", async () => {
    const id = await conversation();
    const other = await (async () => {
      const listing2 = await createListing(stack, seller);
      const r = await stack.request(START, { listingId: listing2, body: "Altă discuție, alt anunț." }, { token: buyer.token });
      return r.data.startConversation.id as string;
    })();
    const events = subscribeTo(client(seller), MESSAGES_OF, { id });
    await settle();
    for (let i = 1; i <= 10; i++) {
      const r = await stack.request(SEND, { id: i % 3 === 0 ? other : id, body: `mesajul ${i}` }, { token: buyer.token });
      expect(r.errors).toBeUndefined();
    }
    const bodies: string[] = [];
    for (let i = 0; i < 7; i++) bodies.push((await events.next()).data!.messageAdded.body);
    expect(bodies).toEqual([1, 2, 4, 5, 7, 8, 10].map((i) => `mesajul ${i}`));
    await expect(events.next(300)).rejects.toThrow(/no event/);
    events.close();
  });

  it("tells the buyer when the seller reads (read receipt) and the seller's unread count", async () => {
    const id = await conversation();
    const buyerUpdates = subscribeTo(client(buyer), UPDATES);
    const sellerUpdates = subscribeTo(client(seller), UPDATES);
    await settle();
    expect((await stack.request(SEND, { id, body: "Încă o întrebare: ce kilometraj are?" }, { token: buyer.token })).errors).toBeUndefined();
    const forSeller = await nextFor(sellerUpdates, id);
    expect(forSeller.unreadCount).toBeGreaterThan(0);
    expect(forSeller.lastMessage.body).toBe("Încă o întrebare: ce kilometraj are?");
    expect((await stack.request(READ, { id }, { token: seller.token })).errors).toBeUndefined();
    const receipt = await nextFor(buyerUpdates, id, (c) => c.otherParticipantReadAt !== null);
    expect(new Date(receipt.otherParticipantReadAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await nextFor(sellerUpdates, id, (c) => c.unreadCount === 0)).unreadCount).toBe(0);
    buyerUpdates.close();
    sellerUpdates.close();
  });

  it("refuses someone else's conversation as that operation's error, and the socket goes on", async () => {
    const id = await conversation();
    const stranger = await signUp(stack, "Ion Curiosul");
    const strangerClient = client(stranger);
    const refused = subscribeTo(strangerClient, MESSAGES_OF, { id });
    const first = await refused.next();
    expect(first.data ?? null).toBeNull();
    expect(first.errors?.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
    expect(await refused.ended).toBe("complete");
    // The same socket still serves the stranger's own subscriptions.
    const own = subscribeTo(strangerClient, MESSAGES_OF_MINE);
    await settle();
    own.close();
    const admin = await signUpAdmin(stack);
    const watching = subscribeTo(client(admin), MESSAGES_OF, { id });
    await settle();
    await stack.request(SEND, { id, body: "Un admin poate urmări conversația." }, { token: buyer.token });
    expect((await watching.next()).data).toEqual({ messageAdded: { id: expect.any(String), body: "Un admin poate urmări conversația." } });
    watching.close();
  });

  it("limits the operations open on one socket", async () => {
    const socket = await rawSocket(stack.url);
    socket.send({ type: "connection_init", payload: { authorization: `Bearer ${buyer.token}` } });
    await socket.message("connection_ack");
    for (let i = 0; i < 3; i++) socket.send({ id: `s${i}`, type: "subscribe", payload: { query: MESSAGES_OF_MINE } });
    await settle();
    socket.send({ id: "s3", type: "subscribe", payload: { query: MESSAGES_OF_MINE } });
    expect(await socket.message("error")).toMatchObject({ id: "s3", payload: [{ extensions: { code: "QUERY_TOO_COMPLEX", limit: "subscriptionsPerConnection" } }] });
    // Completing one frees its place.
    socket.send({ id: "s0", type: "complete" });
    await settle();
    socket.send({ id: "s4", type: "subscribe", payload: { query: MESSAGES_OF_MINE } });
    await settle();
    await expect(socket.message("error", 300)).rejects.toThrow(/no "error"/);
    socket.socket.close(1000);
  });

  it("closes a signed-out session's open socket with 4403, and refuses its token on HTTP", async () => {
    const leaving = await signUp(stack, "Dan Pleacă");
    const socket = await rawSocket(stack.url);
    socket.send({ type: "connection_init", payload: { authorization: `Bearer ${leaving.token}` } });
    await socket.message("connection_ack");
    socket.send({ id: "live", type: "subscribe", payload: { query: MESSAGES_OF_MINE } });
    await settle();
    expect((await stack.request(`mutation { signOut }`, {}, { token: leaving.token })).errors).toBeUndefined();
    expect((await socket.closed).code).toBe(4403);
    const after = await stack.request(`{ me { id } }`, {}, { token: leaving.token });
    expect(after.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

/** The next conversationUpdated event of conversation `id` that satisfies `when`. */
async function nextFor(events: Events<any>, id: string, when: (c: any) => boolean = () => true): Promise<any> {
  for (;;) {
    const event = await events.next();
    expect(event.errors).toBeUndefined();
    const updated = event.data!.conversationUpdated;
    if (updated.id === id && when(updated)) return updated;
  }
}
