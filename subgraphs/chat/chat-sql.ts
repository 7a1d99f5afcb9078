/**
 * The two statements of sending a message, in SQL because Prisma cannot say either in one round trip:
 *
 * - the conversation with the blocks between the sender and the other participant (Prisma: the
 *   conversation, then the blocks, whose pair needs the conversation first: two round trips);
 * - the write: the message, the conversation's and both members' new state, and that state back
 *   (Prisma: a transaction of 5 statements, 7 round trips with BEGIN and COMMIT, then 1–2 reads).
 *
 * Each round trip is a message to PGlite's thread and back (embedded) or to the server (PostgreSQL),
 * plus Prisma's own work per statement; on PGlite the single connection is held by a transaction
 * for all its round trips, so everything else waits meanwhile. Measured in the subscriptions
 * benchmark (bench/results/subscriptions-2026-12-01-*.md). The same SQL on PGlite and PostgreSQL;
 * every value is a bound parameter.
 */
import type { PrismaClient } from "../../lib/db/database.ts";
import type { ChatMessage, Conversation, Prisma } from "../../prisma/generated/client.ts";
import { hydrateConversationEvent, hydrateMessage, type ConversationEvent, type ConversationState, type Json } from "./events.ts";

export interface ConversationToWriteIn {
  conversation: Conversation;
  /** The writer blocked the other participant. */
  blockedByWriter: boolean;
  /** The other participant blocked the writer. */
  blockedByOther: boolean;
}

/**
 * The conversation and whether the writer and "the other participant" (otherOf in chat.service.ts:
 * for someone who is neither, the buyer) blocked one another; null when there is no such conversation.
 */
export async function conversationToWriteIn(prisma: PrismaClient, conversationId: string, writerId: string): Promise<ConversationToWriteIn | null> {
  const rows = await prisma.$queryRaw<(Conversation & { blockedByWriter: boolean; blockedByOther: boolean })[]>`
    WITH c AS (
      SELECT *, CASE WHEN "buyerId" = ${writerId}::uuid THEN "sellerId" ELSE "buyerId" END AS "otherId"
      FROM "Conversation" WHERE id = ${conversationId}::uuid
    )
    SELECT c.id, c."listingId", c."buyerId", c."sellerId", c."lastMessageId", c."lastMessageAt", c."createdAt",
      EXISTS (SELECT 1 FROM "ChatBlock" b WHERE b."blockerId" = ${writerId}::uuid AND b."blockedId" = c."otherId") AS "blockedByWriter",
      EXISTS (SELECT 1 FROM "ChatBlock" b WHERE b."blockerId" = c."otherId" AND b."blockedId" = ${writerId}::uuid) AS "blockedByOther"
    FROM c`;
  const row = rows[0];
  if (!row) return null;
  const { blockedByWriter, blockedByOther, ...conversation } = row;
  return { conversation: { ...conversation, lastMessageAt: asDate(conversation.lastMessageAt), createdAt: asDate(conversation.createdAt) }, blockedByWriter, blockedByOther };
}

/**
 * Writes a message and returns it with the conversation's state after it, in one statement (atomic as
 * the transaction it replaces):
 * - the conversation's last message becomes this one unless a later one is already there (of two
 *   messages committing out of order, the later one stays the last);
 * - both members' lastMessageAt likewise; the other member's unread count grows by one; writing in a
 *   conversation is having read it (the writer's count back to 0, lastReadAt now).
 * The conversation row returned is the updated one, or as it was when this message is not the last.
 */
export async function writeMessage(prisma: PrismaClient | Prisma.TransactionClient, message: ChatMessage): Promise<{ message: ChatMessage; state: ConversationState }> {
  const { id, conversationId, senderId, body, createdAt: at } = message;
  const rows = await prisma.$queryRaw<{ message: Json<ChatMessage> | string; conversation: ConversationEvent["conversation"] | string; members: ConversationEvent["members"] | string }[]>`
    WITH message AS (
      INSERT INTO "ChatMessage" (id, "conversationId", "senderId", body, "createdAt")
      VALUES (${id}::uuid, ${conversationId}::uuid, ${senderId}::uuid, ${body}, ${at}::timestamptz)
      RETURNING id, "conversationId", "senderId", body, "createdAt"
    ), updated AS (
      UPDATE "Conversation" SET "lastMessageId" = ${id}::uuid, "lastMessageAt" = ${at}::timestamptz
      WHERE id = ${conversationId}::uuid AND "lastMessageAt" <= ${at}::timestamptz
      RETURNING id, "listingId", "buyerId", "sellerId", "lastMessageId", "lastMessageAt", "createdAt"
    ), members AS (
      UPDATE "ConversationMember" SET
        "lastMessageAt" = GREATEST("lastMessageAt", ${at}::timestamptz),
        "unreadCount" = CASE WHEN "userId" = ${senderId}::uuid THEN 0 ELSE "unreadCount" + 1 END,
        "lastReadAt" = CASE WHEN "userId" = ${senderId}::uuid THEN ${at}::timestamptz ELSE "lastReadAt" END
      WHERE "conversationId" = ${conversationId}::uuid
      RETURNING "conversationId", "userId", "lastMessageAt", "unreadCount", "lastReadAt"
    )
    SELECT
      (SELECT row_to_json(m) FROM message m) AS message,
      COALESCE(
        (SELECT row_to_json(u) FROM updated u),
        (SELECT row_to_json(c) FROM (
          SELECT id, "listingId", "buyerId", "sellerId", "lastMessageId", "lastMessageAt", "createdAt" FROM "Conversation" WHERE id = ${conversationId}::uuid
        ) c)
      ) AS conversation,
      (SELECT json_agg(m ORDER BY m."userId") FROM members m) AS members`;
  const row = rows[0]!;
  const written = hydrateMessage(json(row.message));
  const state = hydrateConversationEvent({ conversation: json(row.conversation), members: json(row.members) ?? [] });
  return { message: written, state: { ...state, ...(state.conversation.lastMessageId === written.id ? { lastMessage: written } : {}) } };
}

/** A json column: parsed by the driver (pg) or not (a string), depending on the adapter. */
function json<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

/** A timestamptz column of a raw query: a Date, or its text on an adapter that leaves it as text. */
function asDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}
