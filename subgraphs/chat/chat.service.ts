/**
 * Chat rules: who may read and write which conversation, blocks, reports, the pace of messages. No
 * GraphQL here beyond the typed errors. What chat must know about a listing (is it open, whose is it)
 * comes from the public graph as an anonymous visitor sees it, never from the listings' tables.
 */
import crypto from "node:crypto";
import { isAdmin, type Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { dateKey, keysetOrder, keysetPage } from "../../lib/db/keyset.ts";
import { badInput, conflict, forbidden, notFound } from "../../lib/errors.ts";
import type { GraphClient } from "../../lib/graph-client.ts";
import { decodeCursor, type Connection, type PageArgs } from "../../lib/graphql/pagination.ts";
import type { Localized } from "../../lib/i18n.ts";
import { isUuid } from "../../lib/ids.ts";
import type { MediaUploads } from "../../lib/media/media.ts";
import type { Limiter, LimiterFactory } from "../../lib/rate-limit.ts";
import type {
  ChatBlock,
  ChatMessage,
  Conversation,
  ConversationMember,
  ConversationReport,
  ConversationReportReason,
} from "../../prisma/generated/client.ts";
import { messageBody, messageImageIds, reportText } from "./chat-rules.ts";
import { conversationToWriteIn, writeMessage } from "./chat-sql.ts";
import type { ChatEvents, ConversationEvent, ConversationState, MessageEvent } from "./events.ts";

export interface ChatSettings {
  messagesPerMinute: number;
}

/** What chat asks the graph about a listing: an anonymous visitor's view, so hidden listings are null. */
const LISTING_FACTS = /* GraphQL */ `
  query ChatListingFacts($id: ID!) {
    listing(id: $id) { status seller { id } }
  }
`;

interface ListingFacts {
  listing: { status: string; seller: { id: string } } | null;
}

export class ChatService {
  private readonly messageRate: Limiter;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly graph: GraphClient,
    private readonly events: ChatEvents,
    limiters: LimiterFactory,
    settings: ChatSettings,
    private readonly uploads: MediaUploads,
  ) {
    this.messageRate = limiters("chat-messages", {
      points: settings.messagesPerMinute,
      windowSeconds: 60,
      message: "Prea multe mesaje într-un minut.",
    });
  }

  // ---- access -------------------------------------------------------------------------------------

  canRead(viewer: Viewer | null, conversation: Conversation): boolean {
    return !!viewer && (isAdmin(viewer) || isParticipant(viewer.userId, conversation));
  }

  /** The conversation if the viewer may read it; else NOT_FOUND, the same as for one that does not exist. */
  visible(viewer: Viewer | null, conversation: Conversation | null): Conversation {
    if (!conversation || !this.canRead(viewer, conversation)) throw notFound("Conversația");
    return conversation;
  }

  async readable(viewer: Viewer, id: string): Promise<Conversation> {
    return this.visible(viewer, isUuid(id) ? await this.prisma.conversation.findUnique({ where: { id } }) : null);
  }

  /** A conversation the viewer takes part in: an admin reads any, but writes in none of others'. */
  async participating(viewer: Viewer, id: string): Promise<Conversation> {
    const conversation = await this.readable(viewer, id);
    if (!isParticipant(viewer.userId, conversation)) throw forbidden(NOT_A_PARTICIPANT);
    return conversation;
  }

  // ---- writes -------------------------------------------------------------------------------------

  /**
   * The buyer's message to a listing's seller: into their conversation about it if there is one
   * (whatever the listing's state now), else a new conversation, which only an ACTIVE listing accepts.
   */
  async start(viewer: Viewer, listingId: string, rawBody: string): Promise<ConversationState> {
    const body = messageBody(rawBody);
    const existing = await this.buyersConversation(viewer.userId, listingId);
    if (existing) return (await this.append(viewer, existing, body)).state;
    const sellerId = await this.sellerOfOpenListing(viewer, listingId);
    await this.refuseIfBlocked(viewer.userId, sellerId);
    await this.messageRate.consume(viewer.userId);
    const opened = await this.open(listingId, viewer.userId, sellerId, body);
    if (opened) {
      await this.events.messageAdded(opened.conversation, opened.lastMessage!);
      await this.events.conversationUpdated(opened);
      return opened;
    }
    // A concurrent start by the same buyer created it first: this message joins it.
    const raced = await this.buyersConversation(viewer.userId, listingId);
    return (await this.writeAndPublish(raced!, viewer.userId, body)).state;
  }

  /**
   * The same checks as participating() then append(), in the same order, with the conversation and
   * the blocks read in one statement (chat-sql.ts).
   */
  async send(viewer: Viewer, conversationId: string, rawBody: string, rawImageIds?: readonly string[] | null): Promise<ChatMessage> {
    const imageIds = messageImageIds(rawImageIds);
    const body = messageBody(rawBody, imageIds.length > 0);
    const found = isUuid(conversationId) ? await conversationToWriteIn(this.prisma, conversationId, viewer.userId) : null;
    const conversation = this.visible(viewer, found?.conversation ?? null);
    if (!isParticipant(viewer.userId, conversation)) throw forbidden(NOT_A_PARTICIPANT);
    refuseBlocked(found!.blockedByWriter, found!.blockedByOther);
    await this.messageRate.consume(viewer.userId);
    return (await this.writeAndPublish(conversation, viewer.userId, body, imageIds)).message;
  }

  async markRead(viewer: Viewer, conversationId: string): Promise<ConversationState> {
    const conversation = await this.participating(viewer, conversationId);
    await this.prisma.conversationMember.update({
      where: { conversationId_userId: { conversationId: conversation.id, userId: viewer.userId } },
      data: { unreadCount: 0, lastReadAt: new Date() },
    });
    const state = await this.state(conversation.id);
    await this.events.conversationUpdated(state);
    return state;
  }

  async block(viewer: Viewer, userId: string): Promise<{ id: string }> {
    const shared = await this.sharedConversations(viewer, userId);
    await this.prisma.chatBlock.createMany({ data: [{ blockerId: viewer.userId, blockedId: userId }], skipDuplicates: true });
    await this.announce(shared);
    return { id: userId };
  }

  async unblock(viewer: Viewer, userId: string): Promise<{ id: string }> {
    const shared = await this.sharedConversations(viewer, userId);
    const { count } = await this.prisma.chatBlock.deleteMany({ where: { blockerId: viewer.userId, blockedId: userId } });
    if (count > 0) await this.announce(shared);
    return { id: userId };
  }

  async report(viewer: Viewer, conversationId: string, reason: ConversationReportReason, rawText: string): Promise<ConversationReport> {
    const text = reportText(rawText);
    const conversation = await this.participating(viewer, conversationId);
    try {
      return await this.prisma.conversationReport.create({ data: { conversationId: conversation.id, reporterId: viewer.userId, reason, text } });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict("Ai raportat deja această conversație.");
      throw error;
    }
  }

  // ---- reads --------------------------------------------------------------------------------------

  /** The viewer's conversations, the most recently active first (their member rows are the inbox). */
  async conversations(viewer: Viewer, page: PageArgs): Promise<Connection<Conversation>> {
    const members = await keysetPage(INBOX_ORDER, { userId: viewer.userId }, page, {
      findMany: (args) => this.prisma.conversationMember.findMany({ ...args, include: { conversation: true } }),
      count: (args) => this.prisma.conversationMember.count(args),
    });
    return { ...members, edges: members.edges.map((e) => ({ cursor: e.cursor, node: e.node.conversation })) };
  }

  /** Newest first; `before` is a cursor of this list, so the page holds older messages. */
  messages(conversationId: string, first: number | null | undefined, before: string | null | undefined): Promise<Connection<ChatMessage>> {
    if (before) checkMessageCursor(before);
    return keysetPage(MESSAGES_ORDER, { conversationId }, { first, after: before }, this.prisma.chatMessage);
  }

  async unreadCount(viewer: Viewer): Promise<number> {
    const { _sum } = await this.prisma.conversationMember.aggregate({ where: { userId: viewer.userId }, _sum: { unreadCount: true } });
    return _sum.unreadCount ?? 0;
  }

  blockedUsers(viewer: Viewer, page: PageArgs): Promise<Connection<ChatBlock>> {
    return keysetPage(BLOCKS_ORDER, { blockerId: viewer.userId }, page, this.prisma.chatBlock);
  }

  reports(page: PageArgs): Promise<Connection<ConversationReport>> {
    return keysetPage(REPORTS_ORDER, {}, page, this.prisma.conversationReport);
  }

  // ---- live events ------------------------------------------------------------------------------

  /** Messages of one readable conversation (NOT_FOUND otherwise), or of all the viewer's. */
  async messageEvents(viewer: Viewer, conversationId: string | null | undefined): Promise<AsyncIterableIterator<MessageEvent>> {
    if (conversationId == null) return this.events.userMessages(viewer.userId);
    const conversation = await this.readable(viewer, conversationId);
    return this.events.conversationMessages(conversation.id);
  }

  conversationEvents(viewer: Viewer): AsyncIterableIterator<ConversationEvent> {
    return this.events.userConversations(viewer.userId);
  }

  // ---- internals ----------------------------------------------------------------------------------

  /** Checks, spends one message of the sender's budget, writes, publishes. */
  private async append(viewer: Viewer, conversation: Conversation, body: string) {
    await this.refuseIfBlocked(viewer.userId, otherOf(conversation, viewer.userId));
    await this.messageRate.consume(viewer.userId);
    return this.writeAndPublish(conversation, viewer.userId, body);
  }

  /**
   * The message and the conversation's state after it come from one statement (chat-sql.ts: the
   * last message guarded by time, the read state of both members), then both events are published.
   * With photos, the sender's uploads are claimed (lib/media) and the message written in one
   * transaction: a refused photo sends nothing.
   */
  private async writeAndPublish(conversation: Conversation, senderId: string, body: string, imageIds: readonly string[] = []) {
    const draft = { id: crypto.randomUUID(), conversationId: conversation.id, senderId, body, createdAt: new Date() };
    const { message, state } =
      imageIds.length === 0
        ? await writeMessage(this.prisma, draft)
        : await this.prisma.$transaction(async (tx) => {
            const attached = await this.uploads.attach(tx, senderId, imageIds, "MESSAGE");
            const written = await writeMessage(tx, draft);
            await tx.messageImage.createMany({ data: attached.map((image, position) => ({ ...image, messageId: draft.id, position })) });
            return written;
          });
    await this.events.messageAdded(state.conversation, message);
    await this.events.conversationUpdated(state);
    return { message, state };
  }

  /** A new conversation with its first message, or null when the buyer already has one (a race). */
  private async open(listingId: string, buyerId: string, sellerId: string, body: string): Promise<ConversationState | null> {
    const at = new Date();
    const messageId = crypto.randomUUID();
    try {
      const { members, messages, ...conversation } = await this.prisma.conversation.create({
        data: {
          id: crypto.randomUUID(),
          listingId,
          buyerId,
          sellerId,
          lastMessageId: messageId,
          lastMessageAt: at,
          createdAt: at,
          members: {
            create: [
              { userId: buyerId, lastMessageAt: at, lastReadAt: at },
              { userId: sellerId, lastMessageAt: at, unreadCount: 1 },
            ],
          },
          messages: { create: { id: messageId, senderId: buyerId, body, createdAt: at } },
        },
        include: { members: true, messages: true },
      });
      return { conversation, members, lastMessage: messages[0]! };
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** The conversation as it is now, for the answer and the event. */
  private async state(conversationId: string): Promise<ConversationState> {
    const { members, ...conversation } = await this.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { members: true } });
    return { conversation, members };
  }

  private buyersConversation(buyerId: string, listingId: string): Promise<Conversation | null> {
    if (!isUuid(listingId)) return Promise.resolve(null);
    return this.prisma.conversation.findUnique({ where: { listingId_buyerId: { listingId, buyerId } } });
  }

  /**
   * The seller of a listing that accepts a new conversation. The graph answers as it answers a
   * visitor: a draft, deleted, rejected or pending listing is null there, so it is NOT_FOUND here too.
   */
  private async sellerOfOpenListing(viewer: Viewer, listingId: string): Promise<string> {
    const { listing } = isUuid(listingId) ? await this.graph.query<ListingFacts>(LISTING_FACTS, { id: listingId }) : { listing: null };
    if (!listing) throw notFound("Anunțul");
    if (listing.seller.id === viewer.userId) {
      throw badInput({ ro: "Nu îți poți scrie despre propriul anunț.", en: "You cannot write to yourself about your own listing." }, "listingId", "NOT_ALLOWED");
    }
    if (listing.status !== "ACTIVE") throw badInput(closedListing(listing.status), "listingId", "NOT_ALLOWED");
    return listing.seller.id;
  }

  private async refuseIfBlocked(senderId: string, recipientId: string): Promise<void> {
    const blocks = await this.prisma.chatBlock.findMany({
      where: { OR: [{ blockerId: senderId, blockedId: recipientId }, { blockerId: recipientId, blockedId: senderId }] },
    });
    refuseBlocked(
      blocks.some((b) => b.blockerId === senderId),
      blocks.some((b) => b.blockerId === recipientId),
    );
  }

  /** The conversations between the viewer and another user: one is needed to block or unblock them. */
  private async sharedConversations(viewer: Viewer, userId: string): Promise<Conversation[]> {
    if (userId === viewer.userId) {
      throw badInput({ ro: "Nu te poți bloca pe tine.", en: "You cannot block yourself." }, "userId", "NOT_ALLOWED");
    }
    const me = viewer.userId;
    const shared = isUuid(userId)
      ? await this.prisma.conversation.findMany({ where: { OR: [{ buyerId: me, sellerId: userId }, { buyerId: userId, sellerId: me }] } })
      : [];
    if (shared.length === 0) {
      throw badInput(
        { ro: "Poți bloca doar pe cineva cu care ai o conversație.", en: "You can only block someone you have a conversation with." },
        "userId",
        "NOT_ALLOWED",
      );
    }
    return shared;
  }

  /** A block changes `blocked` in every conversation of the two: both hear of it. */
  private async announce(conversations: Conversation[]): Promise<void> {
    for (const conversation of conversations) await this.events.conversationUpdated(await this.state(conversation.id));
  }
}

const NOT_A_PARTICIPANT = "Doar participanții pot face asta într-o conversație.";

/** FORBIDDEN when either of the two blocked the other; the writer's own block is named first. */
function refuseBlocked(byWriter: boolean, byOther: boolean): void {
  if (byWriter) throw forbidden("Ai blocat acest utilizator: deblochează-l (unblockUser) ca să-i poți scrie.");
  if (byOther) throw forbidden("Acest utilizator nu mai primește mesaje de la tine.");
}

function isParticipant(userId: string, conversation: Conversation): boolean {
  return conversation.buyerId === userId || conversation.sellerId === userId;
}

/** The participant who is not `userId`; for someone who is neither (an admin), the buyer. */
export function otherOf(conversation: Conversation, userId: string | undefined): string {
  return conversation.buyerId === userId ? conversation.sellerId : conversation.buyerId;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "P2002";
}

function closedListing(status: string): Localized {
  if (status === "SOLD") return { ro: "Anunțul a fost vândut: nu mai poți începe o conversație despre el.", en: "The listing was sold: you cannot start a conversation about it." };
  if (status === "EXPIRED") return { ro: "Anunțul a expirat: nu mai poți începe o conversație despre el.", en: "The listing has expired: you cannot start a conversation about it." };
  return { ro: "Anunțul nu mai este activ: nu poți începe o conversație despre el.", en: "The listing is no longer active: you cannot start a conversation about it." };
}

/** keysetPage names a bad cursor `after`; here the argument is `before`. */
function checkMessageCursor(before: string): void {
  try {
    MESSAGES_ORDER.after(decodeCursor(before, 2));
  } catch {
    throw badInput({ ro: "Cursor invalid.", en: "Invalid cursor." }, "before", "INVALID_FORMAT");
  }
}

type InboxRow = ConversationMember & { conversation: Conversation };
const INBOX_ORDER = keysetOrder("lastMessageAt", "desc", (m: InboxRow) => m.lastMessageAt, dateKey, "conversationId");
const MESSAGES_ORDER = keysetOrder("createdAt", "desc", (m: ChatMessage) => m.createdAt, dateKey);
const BLOCKS_ORDER = keysetOrder("createdAt", "desc", (b: ChatBlock) => b.createdAt, dateKey, "blockedId");
const REPORTS_ORDER = keysetOrder("createdAt", "desc", (r: ConversationReport) => r.createdAt, dateKey);
