/**
 * Moderation before publication. With LISTING_MODERATION=agent, publishing puts a listing in
 * PENDING_REVIEW and asks the moderator agent for a verdict on that version (lib/agent-requests.ts);
 * the verdict comes back on this subgraph's own queue and is applied here: APPROVED → ACTIVE, REJECTED
 * → REJECTED with the reasons for the seller, NEEDS_REVIEW → it waits for an admin (reviewListing).
 * An edit of an active listing's text or price asks again while it stays visible. Verdicts about a
 * version the seller has since edited are kept out: the newer version has its own request.
 */
import { z } from "zod";
import type { AgentReply } from "../../lib/agent-requests.ts";
import { requestAgentRun } from "../../lib/agent-requests.ts";
import type { Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { dateKey, keysetOrder, keysetPage } from "../../lib/db/keyset.ts";
import { badInput, conflict } from "../../lib/errors.ts";
import type { Connection, PageArgs } from "../../lib/graphql/pagination.ts";
import type { JobQueue } from "../../lib/jobs.ts";
import type { Logger } from "../../lib/logger.ts";
import type { Listing, ListingModeration, Prisma } from "../../prisma/generated/client.ts";
import type { ListingEvents } from "./events.ts";
import { activeFromNow } from "./listing-status.ts";

/** The queue the moderator's verdicts come back on. */
export const VERDICTS_QUEUE = "listing-moderation-verdicts";
const MODERATOR = "moderator";
const MAX_REASON_LENGTH = 1_000;
/**
 * Verdicts applied per batch (one transaction). Small enough that a batch's work on the API's event
 * loop (parsing, the rows Prisma maps, the events) comes in short slices between its requests; the
 * next batch follows at once, so the rate is not capped by it.
 */
const VERDICTS_BATCH = 25;
/** The statuses a decision applies to; others (rejected, sold, expired, a draft again) ignore it. */
const DECIDABLE: readonly Listing["status"][] = ["PENDING_REVIEW", "ACTIVE"];

export type ModerationMode = "agent" | "off";

/** The moderator's output, as far as this subgraph relies on it (the agent contract's `output`). */
const verdictSchema = z.object({
  listingId: z.uuid(),
  listingVersion: z.number().int(),
  decision: z.enum(["APPROVED", "REJECTED", "NEEDS_REVIEW"]),
  reasons: z.array(z.object({ code: z.string().max(60), message: z.string().max(MAX_REASON_LENGTH) })).max(20),
  score: z.number().min(0).max(1),
  insights: z
    .object({
      suggestedCategoryId: z.number().int().nullable(),
      suggestedPrice: z
        .object({ low: z.number().min(0), median: z.number().min(0), high: z.number().min(0), comparables: z.number().int().min(0), relaxed: z.array(z.string().max(20)).max(10), scope: z.string().max(20) })
        .nullable(),
    })
    .partial()
    .optional(),
});

/** What the moderator suggested on the way, as stored with its verdict (ListingModeration.insights). */
export type StoredInsights = NonNullable<z.output<typeof verdictSchema>["insights"]>;
type Verdict = z.output<typeof verdictSchema>;
/** What applyReplies reads of a listing to plan its verdicts. */
type Read = Pick<Listing, "id" | "version" | "status">;
/** A listing a batch of verdicts changed, with its status before. */
type Changed = Pick<Listing, "id" | "sellerId" | "status"> & { statusBefore: Listing["status"] };

const AWAITING_ORDER = keysetOrder("updatedAt", "asc", (l: Listing) => l.updatedAt, dateKey);

export class ListingModerationService {
  private jobs?: JobQueue;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: ListingEvents,
    private readonly log: Logger,
    private readonly settings: { mode: ModerationMode; listingTtlDays: number },
  ) {}

  get enabled(): boolean {
    return this.settings.mode === "agent";
  }

  /**
   * Starts taking verdicts; called once the job queue is open. A full batch is followed by the next at
   * once (pg-boss would sleep out the polling interval after every fetch: 20 verdicts a second at most,
   * while a burst of runs replies at hundreds); only a short batch waits for the interval.
   */
  async start(jobs: JobQueue, pollingIntervalSeconds: number): Promise<void> {
    this.jobs = jobs;
    await jobs.createQueue(VERDICTS_QUEUE, { name: VERDICTS_QUEUE, retryLimit: 5, retryDelay: 2, retryBackoff: true });
    const worker: string = await jobs.work<AgentReply>(VERDICTS_QUEUE, { batchSize: VERDICTS_BATCH, pollingIntervalSeconds }, async (replies) => {
      await this.applyReplies(replies.map((r) => r.data));
      if (replies.length === VERDICTS_BATCH) jobs.notifyWorker(worker);
    });
  }

  /**
   * After a seller's edit (`before` → `after`, one version apart): asks the moderator again when what it
   * judges changed, or when a verdict was still awaited for the version before — that verdict is now
   * stale and would be ignored, leaving the listing PENDING_REVIEW for good, or an edited text live and
   * never judged.
   */
  async afterEdit(before: Listing, after: Listing): Promise<void> {
    if (!this.enabled || !(after.status === "ACTIVE" || after.status === "PENDING_REVIEW")) return;
    if (judgedFieldsChanged(before, after) || (await this.verdictAwaited(before))) await this.request(after);
  }

  /**
   * Whether this version of the listing still waits for a verdict. With none at all, an ACTIVE listing
   * went live unjudged (LISTING_MODERATION was off then) and waits for nothing. A verdict for an older
   * version may also mean only that the edits since changed nothing judged: asked again then, once.
   */
  private async verdictAwaited(listing: Listing): Promise<boolean> {
    const verdict = await this.prisma.listingModeration.findUnique({ where: { listingId: listing.id }, select: { listingVersion: true } });
    return verdict ? verdict.listingVersion < listing.version : listing.status === "PENDING_REVIEW";
  }

  /** Asks the moderator about this version of the listing. */
  async request(listing: Pick<Listing, "id" | "version">): Promise<void> {
    if (!this.jobs) throw new Error("moderation is not started");
    await requestAgentRun(this.jobs, MODERATOR, {
      goal: `moderate listing ${listing.id} v${listing.version}`,
      input: { listingId: listing.id, version: listing.version },
      replyTo: VERDICTS_QUEUE,
    });
  }

  /** A verdict from the moderator. Idempotent: a reply may arrive twice. */
  applyReply(reply: AgentReply): Promise<void> {
    return this.applyReplies([reply]);
  }

  /**
   * Verdicts from the moderator, in the order they came: one read of their listings (the three columns
   * the plan needs), one statement for the batch (the listings updated and the verdicts upserted
   * together, so atomic), an event per listing that changed. The result is the one of applying them one
   * by one: a verdict about another version than the one read is ignored, a later verdict about the
   * same listing sees what the earlier left (a REJECTED listing takes no more verdicts), and an edit or
   * an admin's decision committed meanwhile wins (each update is conditioned on the version and status
   * read).
   *
   * This runs on the API's event loop (the listings subgraph's process), between its requests: plain
   * SQL, not Prisma's model queries (the full rows read, an interactive transaction of 4+ round trips,
   * every returned row mapped), and the cached lists of listings are purged only when a listing's
   * status moved — a verdict that leaves an active listing active changes no list, count or search
   * (its own cached answers are purged by entity: aiInsights and updatedAt changed).
   */
  async applyReplies(replies: readonly AgentReply[]): Promise<void> {
    const verdicts = replies.flatMap((reply) => {
      const verdict = this.verdictOf(reply);
      return verdict ? [{ verdict, runId: reply.runId }] : [];
    });
    if (!verdicts.length) return;
    const ids = [...new Set(verdicts.map((v) => v.verdict.listingId))];
    const read = await this.prisma.$queryRawUnsafe<Read[]>(`SELECT id, version, status::text AS status FROM "Listing" WHERE id = ANY($1::uuid[])`, ids);
    const listings = new Map(read.map((l) => [l.id, l]));
    const now = new Date();
    const plans = new Map<string, { listing: Read; status: Listing["status"]; data: Prisma.ListingUpdateManyMutationInput; verdict: Verdict; runId: string }>();
    for (const { verdict, runId } of verdicts) {
      const listing = listings.get(verdict.listingId);
      if (!listing || listing.version !== verdict.listingVersion) continue;
      const before = plans.get(listing.id);
      const status = before?.status ?? listing.status;
      if (!DECIDABLE.includes(status)) continue;
      const data = { ...before?.data, ...this.transition(status, verdict.decision, now) };
      plans.set(listing.id, { listing, status: (data.status as Listing["status"] | undefined) ?? status, data, verdict, runId });
    }
    if (!plans.size) return;
    // Each listing's change (its status, publishedAt, expiresAt where the plan sets them; updatedAt
    // always) on the condition it was read with, and its verdict: the verdict is written only for a
    // listing the update changed (joined on the update's RETURNING).
    const changes = [...plans.values()].map(({ listing, data, verdict, runId }) => ({
      id: listing.id,
      version: listing.version,
      status: listing.status,
      newStatus: (data.status as string | undefined) ?? null,
      publishedAt: data.publishedAt instanceof Date ? data.publishedAt.toISOString() : null,
      expiresAt: data.expiresAt instanceof Date ? data.expiresAt.toISOString() : null,
      listingVersion: verdict.listingVersion,
      decision: verdict.decision,
      reasons: verdict.reasons,
      score: verdict.score,
      runId,
      // Absent (null): the stored insights stay (as the single upsert left them); given, it is an object.
      insights: verdict.insights ?? null,
    }));
    const changed = await this.prisma.$queryRawUnsafe<Changed[]>(
      `WITH c AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, version int, status text, "newStatus" text, "publishedAt" timestamptz, "expiresAt" timestamptz,
           "listingVersion" int, decision text, reasons jsonb, score float8, "runId" uuid, insights jsonb)
       ), u AS (
         UPDATE "Listing" l SET status = coalesce(c."newStatus"::"ListingStatus", l.status), "publishedAt" = coalesce(c."publishedAt", l."publishedAt"),
           "expiresAt" = coalesce(c."expiresAt", l."expiresAt"), "updatedAt" = $2::timestamptz
         FROM c WHERE l.id = c.id AND l.version = c.version AND l.status = c.status::"ListingStatus"
         RETURNING l.id, l."sellerId", l.status::text AS status, c.status AS "statusBefore"
       ), m AS (
         INSERT INTO "ListingModeration" ("listingId", "listingVersion", decision, reasons, score, "decidedBy", "runId", insights, "createdAt", "updatedAt")
         SELECT c.id, c."listingVersion", c.decision::"ModerationDecision", c.reasons, c.score, NULL, c."runId", c.insights, $2::timestamptz, $2::timestamptz
         FROM c JOIN u ON u.id = c.id
         ON CONFLICT ("listingId") DO UPDATE SET
           "listingVersion" = EXCLUDED."listingVersion", decision = EXCLUDED.decision, reasons = EXCLUDED.reasons, score = EXCLUDED.score,
           "decidedBy" = NULL, "runId" = EXCLUDED."runId", "updatedAt" = EXCLUDED."updatedAt",
           insights = COALESCE(EXCLUDED.insights, "ListingModeration".insights)
       )
       SELECT id, "sellerId", status, "statusBefore" FROM u`,
      JSON.stringify(changes),
      now.toISOString(),
    );
    if (!changed.length) return;
    await this.events.changed(
      changed.map((listing) => listing.id),
      { collection: changed.some((listing) => listing.status !== listing.statusBefore) },
    );
    await Promise.all(changed.map((listing) => this.events.statusChanged(listing)));
  }

  /** The verdict a reply carries; null (logged) when the run did not succeed or its output is unreadable. */
  private verdictOf(reply: AgentReply): Verdict | null {
    if (reply.status !== "SUCCEEDED") {
      // The listing stays where it is and shows in the admins' queue (awaitingReview).
      this.log.warn({ runId: reply.runId, status: reply.status, error: reply.error }, "moderation run did not succeed");
      return null;
    }
    const parsed = verdictSchema.safeParse(reply.output);
    if (!parsed.success) {
      this.log.error({ runId: reply.runId, issues: parsed.error.issues.slice(0, 5) }, "moderation verdict unreadable");
      return null;
    }
    return parsed.data;
  }

  /** An admin's decision on a listing waiting for review (or an active one the moderator flagged). */
  async review(admin: Viewer, listing: Listing, decision: "APPROVE" | "REJECT", reason: string | null | undefined): Promise<Listing> {
    const text = reason?.trim() ?? "";
    if (decision === "REJECT" && !text) throw badInput({ ro: "Spune-i vânzătorului de ce respingi anunțul.", en: "Tell the seller why the listing is rejected." }, "reason", "REQUIRED");
    if (text.length > MAX_REASON_LENGTH) throw badInput({ ro: `Motivul are cel mult ${MAX_REASON_LENGTH} de caractere.`, en: `The reason has at most ${MAX_REASON_LENGTH} characters.` }, "reason", "TOO_LONG");
    const verdict: Verdict = {
      listingId: listing.id,
      listingVersion: listing.version,
      decision: decision === "APPROVE" ? "APPROVED" : "REJECTED",
      reasons: text ? [{ code: "ADMIN", message: text }] : [],
      score: decision === "APPROVE" ? 0 : 1,
    };
    const changed = await this.decide(listing, verdict, { decidedBy: admin.userId });
    if (!changed) throw conflict(`Anunțul nu așteaptă o decizie (stare: ${listing.status}).`);
    return changed;
  }

  /** Listings an admin should look at: waiting for a verdict, or flagged while active. Oldest first. */
  awaitingReview(page: PageArgs): Promise<Connection<Listing>> {
    const where: Prisma.ListingWhereInput = {
      OR: [{ status: "PENDING_REVIEW" }, { status: "ACTIVE", moderation: { decision: "NEEDS_REVIEW", decidedBy: null } }],
    };
    return keysetPage(AWAITING_ORDER, where, page, this.prisma.listing);
  }

  latest(listingIds: readonly string[]): Promise<ListingModeration[]> {
    return this.prisma.listingModeration.findMany({ where: { listingId: { in: [...listingIds] } } });
  }

  /**
   * Records the verdict and moves the listing: one transaction, conditioned on the version and status
   * read, so an edit or an admin's decision made meanwhile wins. Null when the listing had moved on.
   */
  private async decide(listing: Listing, verdict: Verdict, by: { runId?: string; decidedBy?: string }): Promise<Listing | null> {
    if (!DECIDABLE.includes(listing.status)) return null;
    const data = this.transition(listing.status, verdict.decision);
    const row = {
      listingVersion: verdict.listingVersion,
      decision: verdict.decision,
      reasons: verdict.reasons,
      score: verdict.score,
      decidedBy: by.decidedBy ?? null,
      runId: by.runId ?? null,
      ...(verdict.insights ? { insights: verdict.insights as Prisma.InputJsonValue } : {}),
    };
    const updated = await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.listing.updateMany({ where: { id: listing.id, version: listing.version, status: listing.status }, data: data ?? { updatedAt: new Date() } });
      if (!count) return null;
      await tx.listingModeration.upsert({ where: { listingId: listing.id }, create: { listingId: listing.id, ...row }, update: row });
      return tx.listing.findUniqueOrThrow({ where: { id: listing.id } });
    });
    if (updated) {
      await this.events.changed([updated.id], { collection: true });
      await this.events.statusChanged(updated);
    }
    return updated;
  }

  /** What a decision does to a listing in a status; null: it stays as it is. */
  private transition(status: Listing["status"], decision: Verdict["decision"], now = new Date()): Prisma.ListingUpdateManyMutationInput | null {
    if (decision === "REJECTED") return { status: "REJECTED" };
    if (decision === "APPROVED" && status === "PENDING_REVIEW") return activeFromNow(this.settings.listingTtlDays, now);
    return null;
  }
}

/** What the moderator judges: the text, the price (against comparables) and the category. */
function judgedFieldsChanged(before: Listing, after: Listing): boolean {
  return before.title !== after.title || before.description !== after.description || before.priceRonBani !== after.priceRonBani || before.categoryId !== after.categoryId;
}
