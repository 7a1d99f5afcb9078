/**
 * Sending a message: what one sendMessage costs in SQL statements, and the state its one write
 * statement (subgraphs/chat/chat-sql.ts) leaves and returns — read state of both members, the last
 * message guarded by time — on PGlite and PostgreSQL alike.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeMessage } from "../subgraphs/chat/chat-sql.ts";
import { codes } from "./utils/client.ts";
import { createListing, signUp, signUpAdmin, startConversation, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const SEND = `mutation ($id: ID!, $body: String!) { sendMessage(conversationId: $id, body: $body) { id body isMine } }`;
const BLOCK = `mutation ($id: ID!) { blockUser(userId: $id) { id } }`;
const UNBLOCK = `mutation ($id: ID!) { unblockUser(userId: $id) { id } }`;

describeStack("chat writes", () => {
  let stack: Stack;
  let seller: TestUser;
  let buyer: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    stack = await startStack();
    [seller, buyer] = await Promise.all([signUp(stack, "Vasile Vânzătorul"), signUp(stack, "Maria Cumpărătoarea")]);
    admin = await signUpAdmin(stack);
  });
  afterAll(() => stack?.stop());

  const prisma = () => stack.app.db.prisma;
  const as = (user: TestUser, query: string, variables: Record<string, unknown> = {}) => stack.request(query, variables, { token: user.token });

  it("sends a message in 2 SQL statements: the conversation with its blocks, then the write with the new state", async () => {
    const id = await startConversation(stack, buyer, await createListing(stack, seller));
    const sent = await as(seller, SEND, { id, body: "Da, este." });
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendMessage).toMatchObject({ body: "Da, este.", isMine: true });
    expect(Number(sent.headers.get("x-sql-statements"))).toBe(2);
    // A refusal stops after the first.
    const stranger = await signUp(stack, "Ion Străinul");
    const refused = await as(stranger, SEND, { id, body: "Bună" });
    expect(codes(refused)).toEqual(["NOT_FOUND"]);
    expect(Number(refused.headers.get("x-sql-statements"))).toBe(1);
  });

  it("keeps the refusals and their order: not found, not a participant, blocked either way", async () => {
    const id = await startConversation(stack, buyer, await createListing(stack, seller));
    expect(codes(await as(buyer, SEND, { id: "not-a-uuid", body: "x" }))).toEqual(["NOT_FOUND"]);
    expect(codes(await as(buyer, SEND, { id: crypto.randomUUID(), body: "x" }))).toEqual(["NOT_FOUND"]);
    const byAdmin = await as(admin, SEND, { id, body: "x" });
    expect(codes(byAdmin)).toEqual(["FORBIDDEN"]);
    expect(byAdmin.errors![0]!.message).toMatch(/participanții/);

    expect((await as(buyer, BLOCK, { id: seller.id })).errors).toBeUndefined();
    const own = await as(buyer, SEND, { id, body: "x" });
    expect(codes(own)).toEqual(["FORBIDDEN"]);
    expect(own.errors![0]!.message).toMatch(/Ai blocat/);
    const other = await as(seller, SEND, { id, body: "x" });
    expect(codes(other)).toEqual(["FORBIDDEN"]);
    expect(other.errors![0]!.message).toMatch(/nu mai primește/);
    expect(await prisma().chatMessage.count({ where: { conversationId: id } })).toBe(1);
    expect((await as(buyer, UNBLOCK, { id: seller.id })).errors).toBeUndefined();
    expect((await as(seller, SEND, { id, body: "Acum merge." })).errors).toBeUndefined();
  });

  it("returns the state it leaves: the writer has read it, the other has one more unread, both move up their inbox", async () => {
    const id = await startConversation(stack, buyer, await createListing(stack, seller));
    const at = new Date(Date.now() + 60_000);
    const { message, state } = await writeMessage(prisma(), { id: crypto.randomUUID(), conversationId: id, senderId: seller.id, body: "Răspuns", createdAt: at });
    expect(message).toMatchObject({ conversationId: id, senderId: seller.id, body: "Răspuns", createdAt: at });
    expect(state.conversation).toMatchObject({ id, lastMessageId: message.id, lastMessageAt: at, buyerId: buyer.id, sellerId: seller.id });
    expect(state.lastMessage).toEqual(message);
    const stored = await prisma().conversation.findUniqueOrThrow({ where: { id }, include: { members: true } });
    const { members, ...conversation } = stored;
    expect(state.conversation).toEqual(conversation);
    expect([...state.members].sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([...members].sort((a, b) => a.userId.localeCompare(b.userId)));
    const sellerSide = members.find((m) => m.userId === seller.id)!;
    const buyerSide = members.find((m) => m.userId === buyer.id)!;
    expect(sellerSide).toMatchObject({ unreadCount: 0, lastReadAt: at, lastMessageAt: at });
    expect(buyerSide).toMatchObject({ unreadCount: 1, lastMessageAt: at });
    expect(buyerSide.lastReadAt!.getTime()).toBeLessThan(at.getTime());
  });

  it("leaves a later last message in place when an earlier one commits after it", async () => {
    const id = await startConversation(stack, buyer, await createListing(stack, seller));
    const later = new Date(Date.now() + 120_000);
    const earlier = new Date(later.getTime() - 1000);
    const first = await writeMessage(prisma(), { id: crypto.randomUUID(), conversationId: id, senderId: seller.id, body: "al doilea", createdAt: later });
    const second = await writeMessage(prisma(), { id: crypto.randomUUID(), conversationId: id, senderId: buyer.id, body: "primul", createdAt: earlier });
    expect(second.state.conversation).toMatchObject({ lastMessageId: first.message.id, lastMessageAt: later });
    expect(second.state.lastMessage).toBeUndefined();
    expect(second.state.members.map((m) => m.lastMessageAt)).toEqual([later, later]);
    // The read state still follows the writes: the buyer wrote last, so has read; the seller has one unread.
    expect(second.state.members.find((m) => m.userId === buyer.id)).toMatchObject({ unreadCount: 0, lastReadAt: earlier });
    expect(second.state.members.find((m) => m.userId === seller.id)).toMatchObject({ unreadCount: 1 });
    const stored = await prisma().conversation.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ lastMessageId: first.message.id, lastMessageAt: later });
    expect(await prisma().chatMessage.count({ where: { conversationId: id } })).toBe(3);
  });

  it("writes nothing when the conversation does not exist", async () => {
    const before = await prisma().chatMessage.count();
    await expect(writeMessage(prisma(), { id: crypto.randomUUID(), conversationId: crypto.randomUUID(), senderId: buyer.id, body: "x", createdAt: new Date() })).rejects.toThrow();
    expect(await prisma().chatMessage.count()).toBe(before);
  });
});
