/**
 * Chat through the public gateway: conversations about listings, messages, read state, blocks,
 * reports, and who may see what (a conversation exists only for its two participants and admins).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { codes, type GraphQLResponse } from "./utils/client.ts";
import { createListing, sendMessage, signUp, signUpAdmin, startConversation, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const START = `mutation ($listingId: ID!, $body: String!) {
  startConversation(listingId: $listingId, body: $body) { id unreadCount lastMessage { body isMine } messages { totalCount } }
}`;
const SEND = `mutation ($id: ID!, $body: String!) { sendMessage(conversationId: $id, body: $body) { id body isMine conversation { id } } }`;
const READ = `mutation ($id: ID!) { markConversationRead(conversationId: $id) { id unreadCount } }`;
const CONVERSATION = `query ($id: ID!) { conversation(id: $id) { id buyer { id } seller { id } messages(first: 50) { totalCount edges { node { body } } } } }`;
const MESSAGES = `query ($id: ID!, $first: Int, $before: String) {
  conversation(id: $id) { messages(first: $first, before: $before) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id body } } } }
}`;
const INBOX = `query ($first: Int, $after: String) {
  conversations(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id unreadCount lastMessage { body } } } }
}`;
const UNREAD = `{ unreadMessageCount }`;
const BLOCK = `mutation ($id: ID!) { blockUser(userId: $id) { id } }`;
const UNBLOCK = `mutation ($id: ID!) { unblockUser(userId: $id) { id } }`;
const REPORT = `mutation ($id: ID!, $text: String!) { reportConversation(conversationId: $id, reason: HARASSMENT, text: $text) { id reason text } }`;

describeStack("chat", () => {
  let stack: Stack;
  let seller: TestUser;
  let buyer: TestUser;
  let stranger: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    stack = await startStack();
    [seller, buyer, stranger] = await Promise.all([signUp(stack, "Vasile Vânzătorul"), signUp(stack, "Maria Cumpărătoarea"), signUp(stack, "Ion Străinul")]);
    admin = await signUpAdmin(stack);
  });
  afterAll(() => stack?.stop());

  const prisma = () => stack.app.db.prisma;
  const rowCounts = async () => ({
    conversations: await prisma().conversation.count(),
    messages: await prisma().chatMessage.count(),
    blocks: await prisma().chatBlock.count(),
    reports: await prisma().conversationReport.count(),
  });
  const as = (user: TestUser, query: string, variables: Record<string, unknown> = {}) => stack.request(query, variables, { token: user.token });
  const fields = (r: GraphQLResponse) => r.errors![0]!.extensions!.fields as { field: string; reason: string; message: string }[];

  it("starts one conversation per buyer and listing; writing again adds to it", async () => {
    const listingId = await createListing(stack, seller);
    const first = await as(buyer, START, { listingId, body: "Bună ziua! Mai este disponibilă mașina?" });
    expect(first.errors).toBeUndefined();
    expect(first.data.startConversation).toMatchObject({ unreadCount: 0, lastMessage: { body: "Bună ziua! Mai este disponibilă mașina?", isMine: true }, messages: { totalCount: 1 } });
    const again = await as(buyer, START, { listingId, body: "Vă pot suna mâine?" });
    expect(again.data.startConversation).toMatchObject({ id: first.data.startConversation.id, messages: { totalCount: 2 }, lastMessage: { body: "Vă pot suna mâine?" } });
    expect(await prisma().conversation.count({ where: { listingId } })).toBe(1);

    const sellerView = await as(seller, CONVERSATION, { id: first.data.startConversation.id });
    expect(sellerView.errors).toBeUndefined();
    expect(sellerView.data.conversation).toMatchObject({ buyer: { id: buyer.id }, seller: { id: seller.id } });
    expect(sellerView.data.conversation.messages.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual([
      "Vă pot suna mâine?",
      "Bună ziua! Mai este disponibilă mașina?",
    ]);
  });

  it("lets people exchange phone numbers and e-mail addresses, unlike listing text", async () => {
    const listingId = await createListing(stack, seller);
    const r = await as(buyer, START, { listingId, body: "Sunați-mă la 0722 123 456 sau scrieți la maria@example.ro" });
    expect(r.errors).toBeUndefined();
    expect(r.data.startConversation.lastMessage.body).toBe("Sunați-mă la 0722 123 456 sau scrieți la maria@example.ro");
  });

  it("refuses one's own listing, and listings that are not active, storing nothing", async () => {
    const own = await createListing(stack, seller);
    const before = await rowCounts();
    const self = await as(seller, START, { listingId: own, body: "Mesaj către mine" });
    expect(codes(self)).toEqual(["BAD_USER_INPUT"]);
    expect(fields(self)).toEqual([{ field: "listingId", reason: "NOT_ALLOWED", message: "Nu îți poți scrie despre propriul anunț." }]);

    const sold = await createListing(stack, seller);
    expect((await as(seller, `mutation ($id: ID!) { markListingSold(id: $id) { status } }`, { id: sold })).errors).toBeUndefined();
    const toSold = await as(buyer, START, { listingId: sold, body: "Mai este?" });
    expect(codes(toSold)).toEqual(["BAD_USER_INPUT"]);
    expect(fields(toSold)[0]).toMatchObject({ field: "listingId", reason: "NOT_ALLOWED", message: expect.stringMatching(/vândut/) });

    const expired = await createListing(stack, seller);
    await prisma().listing.update({ where: { id: expired }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const toExpired = await stack.request(START, { listingId: expired, body: "Mai este?" }, { token: buyer.token, headers: { "accept-language": "en" } });
    expect(fields(toExpired)[0]).toMatchObject({ field: "listingId", reason: "NOT_ALLOWED", message: "The listing has expired: you cannot start a conversation about it." });
    expect(await rowCounts()).toEqual(before);
  });

  it("answers NOT_FOUND for a listing a visitor cannot see: draft, deleted, rejected, pending, unknown", async () => {
    const draft = await createListing(stack, seller, {}, false);
    const deleted = await createListing(stack, seller);
    await as(seller, `mutation ($id: ID!) { deleteListing(id: $id) { status } }`, { id: deleted });
    const rejected = await createListing(stack, seller);
    await prisma().listing.update({ where: { id: rejected }, data: { status: "REJECTED" } });
    const pending = await createListing(stack, seller);
    await prisma().listing.update({ where: { id: pending }, data: { status: "PENDING_REVIEW" } });
    const before = await rowCounts();
    for (const listingId of [draft, deleted, rejected, pending, "00000000-0000-4000-8000-000000000000", "nu-e-un-id"]) {
      const r = await as(buyer, START, { listingId, body: "Mai este disponibil?" });
      expect(codes(r)).toEqual(["NOT_FOUND"]);
      expect(r.errors![0]!.message).toBe("Anunțul nu există.");
    }
    // Even the seller cannot start one about their own draft: it is not open to buyers.
    expect(codes(await as(seller, START, { listingId: draft, body: "Test" }))).toEqual(["NOT_FOUND"]);
    expect(await rowCounts()).toEqual(before);
  });

  it("lets a conversation go on after its listing is sold, deleted or expired", async () => {
    const listingId = await createListing(stack, seller);
    const id = await startConversation(stack, buyer, listingId);
    await as(seller, `mutation ($id: ID!) { markListingSold(id: $id) { status } }`, { id: listingId });
    const reply = await as(seller, SEND, { id, body: "S-a vândut ieri, îmi pare rău." });
    expect(reply.errors).toBeUndefined();
    const more = await as(buyer, START, { listingId, body: "Păcat! Mai aveți altceva similar?" });
    expect(more.errors).toBeUndefined();
    expect(more.data.startConversation).toMatchObject({ id, messages: { totalCount: 3 } });
    await as(seller, `mutation ($id: ID!) { deleteListing(id: $id) { status } }`, { id: listingId });
    const afterDelete = await as(buyer, `query ($id: ID!) { conversation(id: $id) { listing { title } lastMessage { body } } }`, { id });
    expect(afterDelete.errors).toBeUndefined();
    expect(afterDelete.data.conversation).toEqual({ listing: null, lastMessage: { body: "Păcat! Mai aveți altceva similar?" } });
    expect((await as(buyer, SEND, { id, body: "Mulțumesc oricum." })).errors).toBeUndefined();
  });

  it("refuses an empty, blank or too long message, and bidi controls, storing nothing", async () => {
    const listingId = await createListing(stack, seller);
    const id = await startConversation(stack, buyer, listingId);
    const before = await rowCounts();
    const cases: [string, string][] = [
      ["", "TOO_SHORT"],
      ["   \n\t ", "TOO_SHORT"],
      ["\u200b\u200b\u200b", "TOO_SHORT"],
      ["a".repeat(5001), "TOO_LONG"],
      ["Plătește aici: \u202Egpj.exe", "INVALID_CHARACTERS"],
      ["cu NUL \u0000 în el", "INVALID_CHARACTERS"],
    ];
    for (const [body, reason] of cases) {
      const sent = await as(buyer, SEND, { id, body });
      expect(codes(sent)).toEqual(["BAD_USER_INPUT"]);
      expect(fields(sent)).toEqual([expect.objectContaining({ field: "body", reason })]);
      const started = await as(buyer, START, { listingId, body });
      expect(fields(started)).toEqual([expect.objectContaining({ field: "body", reason })]);
    }
    expect(fields(await as(buyer, SEND, { id, body: "" }))[0]!.message).toBe("Mesajul nu poate fi gol.");
    expect(fields(await as(buyer, SEND, { id, body: "a".repeat(5001) }))[0]!.message).toBe("Mesajul poate avea cel mult 5.000 de caractere.");
    expect(await rowCounts()).toEqual(before);
    const longest = await as(buyer, SEND, { id, body: "a".repeat(5000) });
    expect(longest.errors).toBeUndefined();
    expect(longest.data.sendMessage.body).toHaveLength(5000);
    expect((await rowCounts()).messages).toBe(before.messages + 1);
  });

  it("shows a conversation to its two participants and admins only: NOT_FOUND for anyone else, as for no conversation", async () => {
    const listingId = await createListing(stack, seller);
    const id = await startConversation(stack, buyer, listingId, "Bună! Accept 4.000 €?");
    const unknown = "00000000-0000-4000-8000-000000000000";
    const before = await rowCounts();
    for (const target of [id, unknown, "nu-e-un-id"]) {
      const read = await as(stranger, CONVERSATION, { id: target });
      expect(codes(read)).toEqual(["NOT_FOUND"]);
      expect(read.errors![0]!.message).toBe("Conversația nu există.");
      expect(read.data.conversation).toBeNull();
      expect(codes(await as(stranger, SEND, { id: target, body: "Salut" }))).toEqual(["NOT_FOUND"]);
      expect(codes(await as(stranger, READ, { id: target }))).toEqual(["NOT_FOUND"]);
      expect(codes(await as(stranger, REPORT, { id: target, text: "Nu e conversația mea deloc." }))).toEqual(["NOT_FOUND"]);
    }
    expect(codes(await stack.request(CONVERSATION, { id }))).toEqual(["UNAUTHENTICATED"]);
    expect((await as(stranger, INBOX)).data.conversations.totalCount).toBe(0);
    expect(await rowCounts()).toEqual(before);

    const byAdmin = await as(admin, CONVERSATION, { id });
    expect(byAdmin.errors).toBeUndefined();
    expect(byAdmin.data.conversation.messages.edges).toEqual([{ node: { body: "Bună! Accept 4.000 €?" } }]);
    // Admins read, but do not write in other people's conversations.
    expect(codes(await as(admin, SEND, { id, body: "Mesaj de la admin" }))).toEqual(["FORBIDDEN"]);
    expect(await rowCounts()).toEqual(before);
  });

  it("resolves a conversations page across subgraphs in one request", async () => {
    const [carSeller, carBuyer] = await Promise.all([signUp(stack, "Gheorghe Auto"), signUp(stack, "Elena Client")]);
    const listingId = await createListing(stack, carSeller, { title: "Volkswagen Golf 7 2015, întreținut" });
    const id = await startConversation(stack, carBuyer, listingId, "Se poate negocia prețul?");
    await sendMessage(stack, carSeller, id, "Puțin, la vizionare.");
    const r = await as(carBuyer, `{ conversations { edges { node {
      listing { title price { formatted } } seller { displayName } otherParticipant { displayName }
      lastMessage { body sender { displayName } } unreadCount } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.conversations.edges).toEqual([
      {
        node: {
          listing: { title: "Volkswagen Golf 7 2015, întreținut", price: { formatted: "4.500 €" } },
          seller: { displayName: "Gheorghe Auto" },
          otherParticipant: { displayName: "Gheorghe Auto" },
          lastMessage: { body: "Puțin, la vizionare.", sender: { displayName: "Gheorghe Auto" } },
          unreadCount: 1,
        },
      },
    ]);
  });

  it("reads a conversations page in the same number of SQL statements whatever its size", async () => {
    const busySeller = await signUp(stack, "Vânzător Ocupat");
    const buyers = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(stack, `Cumpărător ${i}`)));
    for (const [i, b] of buyers.entries()) await startConversation(stack, b, await createListing(stack, busySeller), `Întrebarea ${i}`);
    const page = (n: number) => `{ conversations(first: ${n}) { totalCount edges { node { id unreadCount blocked otherParticipantReadAt
      listing { title seller { displayName } conversationCount } buyer { displayName } lastMessage { body sender { displayName } } } } } }`;
    // Both cold: the subgraphs keep listings and public profiles across requests (lib/purged-cache.ts).
    const cold = async (query: string) => (await stack.app.purges.publish({ everything: true }), as(busySeller, query));
    const two = await cold(page(2));
    const eight = await cold(page(8));
    expect(two.errors).toBeUndefined();
    expect(eight.errors).toBeUndefined();
    expect(eight.data.conversations.edges).toHaveLength(8);
    expect(eight.data.conversations.edges.map((e: any) => e.node.listing.conversationCount)).toEqual(Array(8).fill(1));
    const statements = (r: GraphQLResponse) => Number(r.headers.get("x-sql-statements"));
    expect(statements(two)).toBeGreaterThan(0);
    expect(statements(eight)).toBe(statements(two));
  });

  it("pages messages newest first with cursors that stay valid while messages arrive", async () => {
    const listingId = await createListing(stack, seller);
    const id = await startConversation(stack, buyer, listingId, "m1");
    for (const body of ["m2", "m3", "m4", "m5"]) await sendMessage(stack, body === "m3" ? seller : buyer, id, body);
    const page = async (first: number, before?: string) => (await as(buyer, MESSAGES, { id, first, before })).data.conversation.messages;
    const first = await page(2);
    expect(first.edges.map((e: any) => e.node.body)).toEqual(["m5", "m4"]);
    expect(first).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    // A message arriving meanwhile changes neither the next page nor its cursor.
    await sendMessage(stack, seller, id, "m6");
    const second = await page(2, first.pageInfo.endCursor);
    expect(second.edges.map((e: any) => e.node.body)).toEqual(["m3", "m2"]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const last = await page(2, second.pageInfo.endCursor);
    expect(last.edges.map((e: any) => e.node.body)).toEqual(["m1"]);
    expect(last.pageInfo.hasNextPage).toBe(false);
    expect((await page(1, first.edges[0].cursor)).edges.map((e: any) => e.node.body)).toEqual(["m4"]);

    const bad = await as(buyer, MESSAGES, { id, first: 2, before: "nu-e-cursor" });
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(fields(bad)).toEqual([expect.objectContaining({ field: "before", reason: "INVALID_FORMAT" })]);
    expect(codes(await as(buyer, MESSAGES, { id, first: 101 }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("lists conversations by last activity, with cursors", async () => {
    const [me, a, b, c] = await Promise.all([signUp(stack, "Ana Inbox"), signUp(stack, "Vânzător A"), signUp(stack, "Vânzător B"), signUp(stack, "Vânzător C")]);
    const withA = await startConversation(stack, me, await createListing(stack, a), "către A");
    const withB = await startConversation(stack, me, await createListing(stack, b), "către B");
    const withC = await startConversation(stack, me, await createListing(stack, c), "către C");
    await sendMessage(stack, a, withA, "răspuns de la A");
    const ids = async () => (await as(me, INBOX, { first: 10 })).data.conversations.edges.map((e: any) => e.node.id);
    expect(await ids()).toEqual([withA, withC, withB]);
    await sendMessage(stack, me, withB, "din nou către B");
    expect(await ids()).toEqual([withB, withA, withC]);

    const first = (await as(me, INBOX, { first: 2 })).data.conversations;
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const next = (await as(me, INBOX, { first: 2, after: first.pageInfo.endCursor })).data.conversations;
    expect(next.edges.map((e: any) => e.node.id)).toEqual([withC]);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });

  it("counts unread messages per conversation and for the badge; reading and replying clear them", async () => {
    const [shop, client] = await Promise.all([signUp(stack, "Magazin"), signUp(stack, "Client Fidel")]);
    const one = await startConversation(stack, client, await createListing(stack, shop), "Întrebarea 1");
    const two = await startConversation(stack, client, await createListing(stack, shop), "Întrebarea 2");
    await sendMessage(stack, client, one, "Încă o întrebare");
    const unreadOf = async (user: TestUser) =>
      Object.fromEntries((await as(user, INBOX)).data.conversations.edges.map((e: any) => [e.node.id, e.node.unreadCount]));
    expect(await unreadOf(shop)).toEqual({ [one]: 2, [two]: 1 });
    expect(await unreadOf(client)).toEqual({ [one]: 0, [two]: 0 });
    expect((await as(shop, UNREAD)).data.unreadMessageCount).toBe(3);
    expect((await as(client, UNREAD)).data.unreadMessageCount).toBe(0);

    const receipt = `query ($id: ID!) { conversation(id: $id) { otherParticipantReadAt } }`;
    expect((await as(client, receipt, { id: one })).data.conversation.otherParticipantReadAt).toBeNull();
    const read = await as(shop, READ, { id: one });
    expect(read.errors).toBeUndefined();
    expect(read.data.markConversationRead).toEqual({ id: one, unreadCount: 0 });
    expect((await as(shop, UNREAD)).data.unreadMessageCount).toBe(1);
    const readAt = (await as(client, receipt, { id: one })).data.conversation.otherParticipantReadAt;
    expect(Date.parse(readAt)).toBeGreaterThan(Date.now() - 60_000);

    // Replying is reading: the seller's other conversation is cleared by their answer in it.
    await sendMessage(stack, shop, two, "Da, este disponibil.");
    expect(await unreadOf(shop)).toEqual({ [one]: 0, [two]: 0 });
    expect((await as(shop, UNREAD)).data.unreadMessageCount).toBe(0);
    expect((await as(client, UNREAD)).data.unreadMessageCount).toBe(1);
    expect(codes(await as(admin, READ, { id: one }))).toEqual(["FORBIDDEN"]);
  });

  it("blocks a user in every conversation, both ways, until unblocked; storing nothing refused", async () => {
    const [shop, pest] = await Promise.all([signUp(stack, "Magazin Liniștit"), signUp(stack, "Client Insistent")]);
    const id = await startConversation(stack, pest, await createListing(stack, shop), "Ultimul preț?");
    const otherListing = await createListing(stack, shop);
    const blocked = await as(shop, BLOCK, { id: pest.id });
    expect(blocked.errors).toBeUndefined();
    expect(blocked.data.blockUser).toEqual({ id: pest.id });
    expect((await as(shop, BLOCK, { id: pest.id })).errors).toBeUndefined();

    const before = await rowCounts();
    const fromPest = await as(pest, SEND, { id, body: "Ultimul preț??" });
    expect(codes(fromPest)).toEqual(["FORBIDDEN"]);
    expect(fromPest.errors![0]!.message).toBe("Acest utilizator nu mai primește mesaje de la tine.");
    expect(codes(await as(pest, START, { listingId: otherListing, body: "Și ăsta?" }))).toEqual(["FORBIDDEN"]);
    const toPest = await as(shop, SEND, { id, body: "Bine, 4.000 €." });
    expect(codes(toPest)).toEqual(["FORBIDDEN"]);
    expect(toPest.errors![0]!.message).toMatch(/Ai blocat acest utilizator/);
    expect(await rowCounts()).toEqual(before);

    const flag = `query ($id: ID!) { conversation(id: $id) { blocked } }`;
    expect((await as(pest, flag, { id })).data.conversation.blocked).toBe(true);
    const list = await as(shop, `{ blockedUsers { totalCount edges { node { user { id displayName } blockedAt } } } }`);
    expect(list.data.blockedUsers).toMatchObject({ totalCount: 1, edges: [{ node: { user: { id: pest.id, displayName: "Client Insistent" } } }] });

    expect((await as(shop, UNBLOCK, { id: pest.id })).errors).toBeUndefined();
    expect((await as(pest, flag, { id })).data.conversation.blocked).toBe(false);
    expect((await as(pest, SEND, { id, body: "Mulțumesc!" })).errors).toBeUndefined();
    expect((await as(shop, `{ blockedUsers { totalCount } }`)).data.blockedUsers.totalCount).toBe(0);
  });

  it("blocks only someone one has a conversation with, and not oneself", async () => {
    const loner = await signUp(stack, "Fără Conversații");
    const before = await rowCounts();
    const strangerBlock = await as(loner, BLOCK, { id: seller.id });
    expect(codes(strangerBlock)).toEqual(["BAD_USER_INPUT"]);
    expect(fields(strangerBlock)).toEqual([expect.objectContaining({ field: "userId", reason: "NOT_ALLOWED" })]);
    expect(fields(await as(loner, BLOCK, { id: loner.id }))).toEqual([expect.objectContaining({ field: "userId", reason: "NOT_ALLOWED" })]);
    expect(codes(await as(loner, BLOCK, { id: "nu-e-un-id" }))).toEqual(["BAD_USER_INPUT"]);
    expect(await rowCounts()).toEqual(before);
  });

  it("sends a report with the conversation's messages to the admins' list", async () => {
    const [shop, rude] = await Promise.all([signUp(stack, "Magazin Raportor"), signUp(stack, "Client Nepoliticos")]);
    const id = await startConversation(stack, rude, await createListing(stack, shop), "Ești un țepar!");
    const reported = await as(shop, REPORT, { id, text: "Mă insultă fără motiv." });
    expect(reported.errors).toBeUndefined();
    expect(reported.data.reportConversation).toMatchObject({ reason: "HARASSMENT", text: "Mă insultă fără motiv." });
    expect(codes(await as(shop, REPORT, { id, text: "Din nou, mă insultă." }))).toEqual(["CONFLICT"]);
    expect(fields(await as(rude, REPORT, { id, text: "scurt" }))).toEqual([expect.objectContaining({ field: "text", reason: "TOO_SHORT" })]);

    const ADMIN_LIST = `{ conversationReports(first: 10) { totalCount edges { node { id reason text reporter { displayName }
      conversation { id buyer { displayName } messages { edges { node { body sender { displayName } } } } } } } } }`;
    expect(codes(await as(shop, ADMIN_LIST))).toEqual(["FORBIDDEN"]);
    const list = await as(admin, ADMIN_LIST);
    expect(list.errors).toBeUndefined();
    expect(list.data.conversationReports.edges[0].node).toEqual({
      id: reported.data.reportConversation.id,
      reason: "HARASSMENT",
      text: "Mă insultă fără motiv.",
      reporter: { displayName: "Magazin Raportor" },
      conversation: { id, buyer: { displayName: "Client Nepoliticos" }, messages: { edges: [{ node: { body: "Ești un țepar!", sender: { displayName: "Client Nepoliticos" } } }] } },
    });
  });

  it("shows a listing's conversation count to its seller only", async () => {
    const [shop, b1, b2] = await Promise.all([signUp(stack, "Magazin Numărat"), signUp(stack, "Cumpărător Unu"), signUp(stack, "Cumpărător Doi")]);
    const busy = await createListing(stack, shop);
    const quiet = await createListing(stack, shop);
    await startConversation(stack, b1, busy);
    await startConversation(stack, b2, busy);
    await startConversation(stack, b1, busy, "A doua întrebare, aceeași conversație");
    const COUNTS = `query ($busy: ID!, $quiet: ID!) { busy: listing(id: $busy) { conversationCount } quiet: listing(id: $quiet) { conversationCount } }`;
    const countsFor = async (user?: TestUser) => {
      const r = await stack.request(COUNTS, { busy, quiet }, user ? { token: user.token } : {});
      expect(r.errors).toBeUndefined();
      return [r.data.busy.conversationCount, r.data.quiet.conversationCount];
    };
    expect(await countsFor(shop)).toEqual([2, 0]);
    expect(await countsFor(b1)).toEqual([null, null]);
    expect(await countsFor(stranger)).toEqual([null, null]);
    expect(await countsFor()).toEqual([null, null]);
    expect(await countsFor(admin)).toEqual([2, 0]);
    const mine = await as(shop, `{ myListings(first: 5) { edges { node { id conversationCount } } } }`);
    expect(Object.fromEntries(mine.data.myListings.edges.map((e: any) => [e.node.id, e.node.conversationCount]))).toEqual({ [busy]: 2, [quiet]: 0 });
  });
});

describeStack("chat message rate", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ CHAT_MESSAGES_PER_MINUTE: "3" });
  });
  afterAll(() => stack?.stop());

  it("refuses a user's messages past the limit a minute with RATE_LIMITED and Retry-After, storing nothing", async () => {
    const [seller, buyer, other] = await Promise.all([signUp(stack, "Vânzător"), signUp(stack, "Cumpărător Grăbit"), signUp(stack, "Alt Cumpărător")]);
    const listingId = await createListing(stack, seller);
    const id = await startConversation(stack, buyer, listingId, "1");
    await sendMessage(stack, buyer, id, "2");
    await sendMessage(stack, buyer, id, "3");
    const messages = () => stack.app.db.prisma.chatMessage.count();
    const before = await messages();
    for (const r of [
      await stack.request(SEND, { id, body: "4" }, { token: buyer.token }),
      await stack.request(START, { listingId, body: "4" }, { token: buyer.token }),
      await stack.request(START, { listingId: await createListing(stack, seller), body: "4" }, { token: buyer.token }),
    ]) {
      expect(r.status).toBe(429);
      expect(codes(r)).toEqual(["RATE_LIMITED"]);
      const retryAfter = r.errors![0]!.extensions!.retryAfter;
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(r.headers.get("retry-after")).toBe(String(retryAfter));
      expect(r.errors![0]!.message).toMatch(/Prea multe mesaje într-un minut/);
    }
    expect(await messages()).toBe(before);
    expect(await stack.app.db.prisma.conversation.count()).toBe(1);
    // Another user's budget is their own; the seller can still answer.
    expect((await stack.request(START, { listingId, body: "Bună!" }, { token: other.token })).errors).toBeUndefined();
    expect((await stack.request(SEND, { id, body: "Bună ziua!" }, { token: seller.token })).errors).toBeUndefined();
  });
});
