/**
 * Imports of partner feeds: a seller names feed or product-page URLs, the manus agent fetches and maps
 * them (lib/agent-requests.ts), and its drafts come back here to be created through the same rules as
 * createListing — each under the idempotency key manus derived from seller, URL and item, so a reply
 * applied twice (or the same feed imported again within a day) creates nothing twice.
 */
import crypto from "node:crypto";
import { z } from "zod";
import { requestAgentRun, type AgentReply } from "../../lib/agent-requests.ts";
import type { Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { dateKey, keysetOrder, keysetPage } from "../../lib/db/keyset.ts";
import { conflict, InputProblems } from "../../lib/errors.ts";
import type { Connection, PageArgs } from "../../lib/graphql/pagination.ts";
import type { JobQueue } from "../../lib/jobs.ts";
import type { Logger } from "../../lib/logger.ts";
import type { ListingImport, Prisma } from "../../prisma/generated/client.ts";

export const IMPORTS_QUEUE = "listing-imports";
const MAX_URLS = 20;
/** Imports of one seller running at once: a feed is fetched by the agents, at our cost. */
const MAX_RUNNING = 2;

const urlSchema = z.url({ protocol: /^https?$/ }).max(2048);

/** What manus returns, as far as this subgraph relies on it (the agent contract's `output`). */
const outputSchema = z.object({
  sellerId: z.uuid(),
  drafts: z.array(z.object({ input: z.record(z.string(), z.unknown()), idempotencyKey: z.string().min(8).max(128), source: z.object({ url: z.string() }) })).max(1_000),
  unmapped: z.array(z.object({ url: z.string(), item: z.object({ title: z.string().optional() }).optional(), reasons: z.array(z.object({ message: z.string() })) })).max(1_000),
  failed: z.array(z.object({ url: z.string(), message: z.string() })).max(100),
});

export interface ImportProblem {
  url: string;
  item?: string;
  message: string;
}

/** Creates one listing draft as its seller would (ListingsService.create). */
export type CreateDraft = (seller: Viewer, input: unknown, idempotencyKey: string) => Promise<{ id: string }>;

const IMPORTS_ORDER = keysetOrder("createdAt", "desc", (i: ListingImport) => i.createdAt, dateKey);

export class ListingImportsService {
  private jobs?: JobQueue;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
    private readonly createDraft: CreateDraft,
  ) {}

  async start(jobs: JobQueue, pollingIntervalSeconds: number): Promise<void> {
    this.jobs = jobs;
    await jobs.createQueue(IMPORTS_QUEUE, { name: IMPORTS_QUEUE, retryLimit: 5, retryDelay: 2, retryBackoff: true });
    await jobs.work<AgentReply>(IMPORTS_QUEUE, { batchSize: 1, pollingIntervalSeconds }, async ([reply]) => this.apply(reply!.data));
  }

  /** Asks manus to fetch the URLs; the import is RUNNING until its reply is applied. */
  async request(viewer: Viewer, rawUrls: readonly string[]): Promise<ListingImport> {
    const urls = checkUrls(rawUrls);
    if (!this.jobs) throw conflict("Importul de anunțuri nu este disponibil pe acest server.");
    const running = await this.prisma.listingImport.count({ where: { sellerId: viewer.userId, status: "RUNNING" } });
    if (running >= MAX_RUNNING) throw conflict(`Ai deja ${running} importuri în lucru; așteaptă să se termine.`);
    const id = crypto.randomUUID();
    const created = await this.prisma.listingImport.create({ data: { id, sellerId: viewer.userId, urls } });
    try {
      await requestAgentRun(this.jobs, "manus", { goal: `import ${urls.length} feed(s) for seller ${viewer.userId}`, input: { sellerId: viewer.userId, urls }, requestedBy: viewer.userId, replyTo: IMPORTS_QUEUE }, id);
    } catch (error) {
      await this.prisma.listingImport.delete({ where: { id } });
      throw error;
    }
    return created;
  }

  mine(viewer: Viewer, page: PageArgs): Promise<Connection<ListingImport>> {
    return keysetPage(IMPORTS_ORDER, { sellerId: viewer.userId }, page, this.prisma.listingImport);
  }

  /** manus's reply: its drafts created as the seller's DRAFT listings, what failed listed. Idempotent. */
  async apply(reply: AgentReply): Promise<void> {
    const record = await this.prisma.listingImport.findUnique({ where: { id: reply.runId } });
    if (!record || record.status !== "RUNNING") return;
    const parsed = reply.status === "SUCCEEDED" ? outputSchema.safeParse(reply.output) : null;
    if (!parsed?.success || parsed.data.sellerId !== record.sellerId) {
      if (parsed && !parsed.success) this.log.error({ runId: reply.runId, issues: parsed.error.issues.slice(0, 5) }, "manus output unreadable");
      await this.finish(record.id, "FAILED", [], [{ url: "", message: "Importul nu a putut fi făcut; încearcă din nou mai târziu." }]);
      return;
    }
    const seller: Viewer = { userId: record.sellerId, role: "USER", sessionId: "", scopes: ["user"] };
    const listingIds: string[] = [];
    const problems: ImportProblem[] = [
      ...parsed.data.failed.map((f) => ({ url: f.url, message: f.message })),
      ...parsed.data.unmapped.map((u) => ({ url: u.url, ...(u.item?.title ? { item: u.item.title } : {}), message: u.reasons.map((r) => r.message).join(" ") })),
    ];
    for (const draft of parsed.data.drafts) {
      try {
        listingIds.push((await this.createDraft(seller, draft.input, draft.idempotencyKey)).id);
      } catch (error) {
        problems.push({ url: draft.source.url, item: String(draft.input.title ?? "").slice(0, 120), message: error instanceof Error ? error.message : "refuzat" });
      }
    }
    await this.finish(record.id, "DONE", listingIds, problems);
  }

  private finish(id: string, status: "DONE" | "FAILED", listingIds: string[], problems: ImportProblem[]) {
    return this.prisma.listingImport.updateMany({
      where: { id, status: "RUNNING" },
      data: { status, listingIds, problems: problems.slice(0, 1_000) as unknown as Prisma.InputJsonValue, finishedAt: new Date() },
    });
  }
}

function checkUrls(raw: readonly string[]): string[] {
  const problems = new InputProblems();
  if (raw.length === 0 || raw.length > MAX_URLS) {
    problems.add("urls", { reason: raw.length ? "OUT_OF_RANGE" : "REQUIRED", message: { ro: `Dă între 1 și ${MAX_URLS} adrese.`, en: `Give 1 to ${MAX_URLS} URLs.` } });
  }
  raw.forEach((url, i) => {
    if (!urlSchema.safeParse(url.trim()).success) {
      problems.add(`urls.${i}`, { reason: "INVALID_FORMAT", message: { ro: "Adresa trebuie să fie un URL http(s).", en: "The URL must be http(s)." } });
    }
  });
  problems.throwIfAny();
  return [...new Set(raw.map((url) => url.trim()))];
}
