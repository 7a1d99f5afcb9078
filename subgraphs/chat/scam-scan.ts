/**
 * Scam watch over the chat: every CHAT_SCAN_INTERVAL_SECONDS this subgraph sends the messages written
 * since its last scan (ChatScanCursor) to the moderator agent (lib/agent-requests.ts), and flags the
 * conversations the verdict names, for the admins (flaggedConversations). Messages are never held
 * back: a scan looks after the fact, so sending a message costs nothing more. Batches, not a run per
 * message: one run reads up to BATCH messages.
 */
import { z } from "zod";
import { requestAgentRun, type AgentReply } from "../../lib/agent-requests.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { dateKey, keysetOrder, keysetPage } from "../../lib/db/keyset.ts";
import { notFound } from "../../lib/errors.ts";
import type { Connection, PageArgs } from "../../lib/graphql/pagination.ts";
import { isUuid } from "../../lib/ids.ts";
import type { JobQueue } from "../../lib/jobs.ts";
import type { Logger } from "../../lib/logger.ts";
import type { ConversationFlag, Prisma } from "../../prisma/generated/client.ts";

export const FLAGS_QUEUE = "chat-moderation-flags";
const BATCH = 200;
/** A scan whose verdict has not come back after this long is given up: the next one resends. */
const OUTSTANDING_MS = 5 * 60_000;

const verdictSchema = z.object({
  flags: z.array(
    z.object({
      messageId: z.uuid(),
      conversationId: z.uuid(),
      score: z.number().min(0).max(1),
      reasons: z.array(z.object({ code: z.string().max(60), message: z.string().max(1_000) })).max(20),
    }),
  ),
  cursor: z.object({ createdAt: z.iso.datetime(), id: z.uuid() }),
});

const FLAGS_ORDER = keysetOrder("updatedAt", "desc", (f: ConversationFlag) => f.updatedAt, dateKey, "conversationId");

export class ChatScamScan {
  private jobs?: JobQueue;
  private timer?: NodeJS.Timeout;
  private outstandingSince = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
  ) {}

  async start(jobs: JobQueue, intervalSeconds: number, pollingIntervalSeconds: number): Promise<void> {
    this.jobs = jobs;
    await jobs.createQueue(FLAGS_QUEUE, { name: FLAGS_QUEUE, retryLimit: 5, retryDelay: 2, retryBackoff: true });
    await jobs.work<AgentReply>(FLAGS_QUEUE, { batchSize: 10, pollingIntervalSeconds }, async (replies) => {
      for (const reply of replies) await this.apply(reply.data);
    });
    this.timer = setInterval(() => void this.scan().catch((error: unknown) => this.log.error({ err: error }, "chat scam scan failed")), intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Sends the next batch of unread messages to the moderator, unless a scan is still out. */
  async scan(): Promise<void> {
    if (!this.jobs || Date.now() - this.outstandingSince < OUTSTANDING_MS) return;
    const cursor = await this.prisma.chatScanCursor.findUnique({ where: { id: 1 } });
    const after: Prisma.ChatMessageWhereInput = cursor
      ? { OR: [{ createdAt: { gt: cursor.lastCreatedAt } }, { createdAt: cursor.lastCreatedAt, id: { gt: cursor.lastMessageId } }] }
      : {};
    const messages = await this.prisma.chatMessage.findMany({
      where: after,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: BATCH,
      select: { id: true, conversationId: true, body: true, createdAt: true },
    });
    const last = messages.at(-1);
    if (!last) return;
    this.outstandingSince = Date.now();
    await requestAgentRun(this.jobs, "moderator", {
      goal: `scan ${messages.length} chat messages for scams`,
      input: { messages: messages.map(({ id, conversationId, body }) => ({ id, conversationId, body })), cursor: { createdAt: last.createdAt.toISOString(), id: last.id } },
      replyTo: FLAGS_QUEUE,
    });
  }

  /** A scan's verdict: flags raised (or raised higher), the cursor moved on. Idempotent. */
  async apply(reply: AgentReply): Promise<void> {
    this.outstandingSince = 0;
    if (reply.status !== "SUCCEEDED") {
      this.log.warn({ runId: reply.runId, status: reply.status }, "chat scam scan run did not succeed; the next scan resends");
      return;
    }
    const parsed = verdictSchema.safeParse(reply.output);
    if (!parsed.success) {
      this.log.error({ runId: reply.runId, issues: parsed.error.issues.slice(0, 5) }, "chat scam verdict unreadable");
      return;
    }
    for (const flag of parsed.data.flags) await this.raise(flag);
    await this.advance(parsed.data.cursor);
  }

  flagged(page: PageArgs): Promise<Connection<ConversationFlag>> {
    return keysetPage(FLAGS_ORDER, { dismissedAt: null }, page, this.prisma.conversationFlag);
  }

  async dismiss(conversationId: string): Promise<ConversationFlag> {
    const flag = isUuid(conversationId) ? await this.prisma.conversationFlag.findUnique({ where: { conversationId } }) : null;
    if (!flag) throw notFound("Semnalarea");
    return this.prisma.conversationFlag.update({ where: { conversationId }, data: { dismissedAt: flag.dismissedAt ?? new Date() } });
  }

  /** One row per conversation: its worst message. A worse one than an admin dismissed flags it again. */
  private async raise(flag: z.output<typeof verdictSchema>["flags"][number]): Promise<void> {
    const data = { messageId: flag.messageId, score: flag.score, reasons: flag.reasons };
    const existing = await this.prisma.conversationFlag.findUnique({ where: { conversationId: flag.conversationId } });
    if (!existing) {
      await this.prisma.conversationFlag.createMany({ data: [{ conversationId: flag.conversationId, ...data }], skipDuplicates: true });
    } else if (flag.score > existing.score || (existing.dismissedAt && existing.messageId !== flag.messageId && flag.score >= existing.score)) {
      await this.prisma.conversationFlag.update({ where: { conversationId: flag.conversationId }, data: { ...data, dismissedAt: null } });
    }
  }

  /** Forward only: a late verdict of an older scan never moves the cursor back. */
  private async advance(cursor: { createdAt: string; id: string }): Promise<void> {
    const lastCreatedAt = new Date(cursor.createdAt);
    await this.prisma.$executeRaw`
      INSERT INTO "ChatScanCursor" (id, "lastCreatedAt", "lastMessageId", "updatedAt") VALUES (1, ${lastCreatedAt}, ${cursor.id}::uuid, now())
      ON CONFLICT (id) DO UPDATE SET "lastCreatedAt" = excluded."lastCreatedAt", "lastMessageId" = excluded."lastMessageId", "updatedAt" = now()
      WHERE ("ChatScanCursor"."lastCreatedAt", "ChatScanCursor"."lastMessageId") < (excluded."lastCreatedAt", excluded."lastMessageId")`;
  }
}
