/**
 * Photos in chat: uploaded with `POST /uploads`, sent with `sendMessage(imageIds)`, seen by the two
 * participants only, through signed URLs that expire — over HTTP and live over the gateway's WebSocket.
 */
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import { codes } from "./utils/client.ts";
import { createListing, signUp, startConversation, type TestUser } from "./utils/fixtures.ts";
import { socketClient, subscribeTo } from "./utils/sockets.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const SEND = `mutation ($c: ID!, $body: String!, $i: [ID!]) {
  sendMessage(conversationId: $c, body: $body, imageIds: $i) { id body images { id width height } }
}`;
const MESSAGES = `query ($c: ID!) { conversation(id: $c) { messages(first: 10) { edges { node {
  id body images { id width height full: url(size: FULL, format: JPEG) thumb: url(size: THUMB) }
} } } } }`;

function jpeg(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .jpeg()
    .toBuffer();
}

describeStack("chat photos", () => {
  let stack: Stack;
  let origin: string;
  let seller: TestUser;
  let buyer: TestUser;
  let stranger: TestUser;
  let conversationId: string;
  const sockets: ReturnType<typeof socketClient>[] = [];

  beforeAll(async () => {
    stack = await startStack({ RATE_LIMIT_UPLOADS_PER_MINUTE: "1000" });
    origin = new URL(stack.url).origin;
    [seller, buyer, stranger] = await Promise.all([signUp(stack, "Vasile Vânzătorul"), signUp(stack, "Maria Cumpărătoarea"), signUp(stack, "Ion Străinul")]);
    conversationId = await startConversation(stack, buyer, await createListing(stack, seller));
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await stack?.stop();
  });

  const as = (user: TestUser, query: string, variables: Record<string, unknown> = {}) => stack.request(query, variables, { token: user.token });

  async function upload(user: TestUser, width: number, height: number, rgb: [number, number, number] = [180, 90, 20]): Promise<string> {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await jpeg(width, height, rgb))], { type: "image/jpeg" }), "poza.jpg");
    const response = await fetch(`${origin}/uploads`, { method: "POST", headers: { authorization: `Bearer ${user.token}` }, body: form });
    const text = await response.text();
    if (!response.ok) throw new Error(`upload refused: ${response.status} ${text}`);
    return JSON.parse(text).id;
  }

  const messageCount = () => stack.app.db.prisma.chatMessage.count({ where: { conversationId } });

  it("sends a message with 2 photos and no text; the other participant gets signed URLs that work", async () => {
    const [first, second] = [await upload(buyer, 1200, 900), await upload(buyer, 600, 800, [10, 120, 200])];
    const sent = await as(buyer, SEND, { c: conversationId, body: "", i: [first, second] });
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendMessage).toMatchObject({ body: "", images: [{ id: first, width: 1200, height: 900 }, { id: second, width: 600, height: 800 }] });

    const read = await as(seller, MESSAGES, { c: conversationId });
    expect(read.errors).toBeUndefined();
    const message = read.data.conversation.messages.edges[0].node;
    expect(message.id).toBe(sent.data.sendMessage.id);
    expect(message.images.map((i: { id: string }) => i.id)).toEqual([first, second]);
    for (const [image, width] of [[message.images[0], 1200], [message.images[1], 600]] as const) {
      expect(image.full).toMatch(/[?&]exp=\d+/);
      expect(image.full).toMatch(/[?&]sig=/);
      const full = await fetch(new URL(image.full, origin));
      expect(full.status).toBe(200);
      const meta = await sharp(Buffer.from(await full.arrayBuffer())).metadata();
      expect(meta).toMatchObject({ format: "jpeg", width: Math.min(1600, width) });
      const thumb = await fetch(new URL(image.thumb, origin));
      expect(thumb.status).toBe(200);
      expect(await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).toMatchObject({ format: "webp", width: 320 });
    }
  });

  it("refuses a chat photo's URL without its signature or with a tampered one", async () => {
    const id = await upload(buyer, 800, 600);
    expect((await as(buyer, SEND, { c: conversationId, body: "Poza", i: [id] })).errors).toBeUndefined();
    const url = new URL((await as(seller, MESSAGES, { c: conversationId })).data.conversation.messages.edges[0].node.images[0].full, origin);
    expect((await fetch(url)).status).toBe(200);

    const unsigned = new URL(url.pathname, origin);
    expect((await fetch(unsigned)).status).toBeGreaterThanOrEqual(400);
    const sig = url.searchParams.get("sig")!;
    const tampered = new URL(url);
    tampered.searchParams.set("sig", (sig[0] === "A" ? "B" : "A") + sig.slice(1));
    expect((await fetch(tampered)).status).toBeGreaterThanOrEqual(400);
    const later = new URL(url);
    later.searchParams.set("exp", String(Number(url.searchParams.get("exp")) + 86_400));
    expect((await fetch(later)).status).toBeGreaterThanOrEqual(400);
    // The signature is of one variant: it does not open another size of the same photo.
    const otherSize = new URL(url);
    otherSize.pathname = url.pathname.replace(/\/full\.jpg$/, "/thumb.jpg");
    expect(otherSize.pathname).not.toBe(url.pathname);
    expect((await fetch(otherSize)).status).toBeGreaterThanOrEqual(400);
  });

  it("shows the message and its photos to no one but the participants", async () => {
    const read = await as(stranger, MESSAGES, { c: conversationId });
    expect(codes(read)).toEqual(["NOT_FOUND"]);
    expect(read.data?.conversation ?? null).toBeNull();
    expect(codes(await stack.request(MESSAGES, { c: conversationId }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("refuses 5 photos, someone else's photo, one already sent, and an empty message without photos; nothing is sent", async () => {
    const five = await Promise.all(Array.from({ length: 5 }, (_, i) => upload(buyer, 64, 48, [i * 40, 0, 0])));
    const before = await messageCount();
    const tooMany = await as(buyer, SEND, { c: conversationId, body: "Cinci poze", i: five });
    expect(codes(tooMany)).toEqual(["BAD_USER_INPUT"]);
    expect(tooMany.errors![0]!.extensions!.fields[0]).toMatchObject({ field: "imageIds", reason: "OUT_OF_RANGE" });
    const theirs = await upload(seller, 64, 48);
    expect(codes(await as(buyer, SEND, { c: conversationId, body: "A ta", i: [five[0], theirs] }))).toEqual(["FORBIDDEN"]);
    expect(codes(await as(buyer, SEND, { c: conversationId, body: "", i: [] }))).toEqual(["BAD_USER_INPUT"]);
    expect(await messageCount()).toBe(before);
    // None of the refused attempts claimed anything: 4 of the 5 go in one message, then none again.
    expect((await as(buyer, SEND, { c: conversationId, body: "Patru", i: five.slice(0, 4) })).data.sendMessage.images).toHaveLength(4);
    expect(codes(await as(buyer, SEND, { c: conversationId, body: "Din nou", i: [five[0]] }))).toEqual(["BAD_USER_INPUT"]);
    expect(await messageCount()).toBe(before + 1);
  });

  it("carries the photos, with signed URLs, in live messages", async () => {
    const socket = socketClient(stack.url, seller.token);
    sockets.push(socket);
    const events = subscribeTo(socket, `subscription ($c: ID) { messageAdded(conversationId: $c) { id images { id url(size: CARD, format: WEBP) } } }`, { c: conversationId });
    await new Promise((r) => setTimeout(r, 200));
    const id = await upload(buyer, 900, 600);
    const sent = await as(buyer, SEND, { c: conversationId, body: "Live", i: [id] });
    expect(sent.errors).toBeUndefined();
    const event = await events.next();
    expect(event.errors).toBeUndefined();
    const live = (event.data as any).messageAdded;
    expect(live).toMatchObject({ id: sent.data.sendMessage.id, images: [{ id }] });
    expect(live.images[0].url).toMatch(/sig=/);
    const response = await fetch(new URL(live.images[0].url, origin));
    expect(response.status).toBe(200);
    expect(await sharp(Buffer.from(await response.arrayBuffer())).metadata()).toMatchObject({ format: "webp", width: 800 });
    events.close();
  });
});
