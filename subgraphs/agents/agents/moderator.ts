/**
 * The moderator: judges one version of a listing before it is shown (publishListing queues it, with a
 * reply to the listings subgraph, which applies the verdict: lib/agent-requests.ts), reading the
 * listing and two facts about its peers (moderator-reads.ts and pricing.ts: the runs started together
 * share one statement of each); and scores batches of chat messages the chat subgraph sends (its
 * scans), returning the ones to flag. Every decision is moderator-rules.ts's.
 */
import { z } from "zod";
import { LRUCache } from "lru-cache";
import { newestModel, newestModelId } from "../models/categorizer-store.ts";
import { CategoryClassifier } from "../models/classifier.ts";
import { ENOUGH, estimatePrice, type PriceEstimate } from "../models/pricing.ts";
import { defineAgent } from "../runtime/contract.ts";
import { sqlFor, type Sql } from "../runtime/sql.ts";
import { moderatedListing } from "./moderator-reads.ts";
import { judge, judgeMessage } from "./moderator-rules.ts";

/**
 * The categorizer agent's newest stored model (its id asked at most once a minute, the model loaded
 * when it changes). The moderator never trains one: until the categorizer has run, it suggests no category.
 */
// Two: the newest model, and the one before it while runs already under way still use it.
const classifiers = new LRUCache<string, CategoryClassifier>({ max: 2 });
/** The newest model's id, asked at most once a minute: not a statement on every run of a burst. */
const newestIds = new LRUCache<Sql, { id: string | null }>({ max: 4, ttl: 60_000 });
async function classifierFor(sql: Sql): Promise<CategoryClassifier | null> {
  const known = newestIds.get(sql);
  const id = known ? known.id : await newestModelId(sql);
  if (!known) newestIds.set(sql, { id });
  if (!id) return null;
  const cached = classifiers.get(id);
  if (cached) return cached;
  const stored = await newestModel(sql);
  if (!stored) return null;
  const classifier = CategoryClassifier.fromJSON(stored.data);
  classifiers.set(stored.id, classifier);
  return classifier;
}
/** A suggested category is shown only when the classifier is this sure and it differs from the seller's. */
const SUGGEST_CATEGORY_FROM = 0.6;

export const agent = defineAgent({
  name: "moderator",
  description:
    "Judges a listing before publication: prohibited goods, scam and advance-payment phrasing, links and off-platform contact, a price far below the category's, the same text from other sellers, shouting. Decides APPROVED, REJECTED (with reasons for the seller) or NEEDS_REVIEW (an admin decides).",
  input: z.union([
    z.object({ listingId: z.uuid(), version: z.number().int().positive().optional() }),
    z.object({
      messages: z.array(z.object({ id: z.uuid(), conversationId: z.uuid(), body: z.string().max(5_000) })).min(1).max(500),
      /** Echoed in the output: where the chat's next scan starts once this one is applied. */
      cursor: z.object({ createdAt: z.iso.datetime(), id: z.uuid() }),
    }),
  ]),
  timeoutSeconds: 30,
  retries: 3,
  // Its runs are short and wait mostly on the database: 16 at once share a claim, a write of their
  // ends, a completion and their reads (moderator-reads.ts, pricing.ts) — 4 paid each of those per 4 runs.
  concurrency: 16,
  // A worker unpaced did 600+ runs/s of a burst on 2 cores and held the API's p99 at 2.2–2.6× idle
  // (bench/results/agents-2026-12-03-summary.md); 300/s keeps 1.5× the 200/s the product needs and
  // leaves the rest of the CPU to the gateway and PostgreSQL (runtime/pacing.ts).
  maxRunsPerSecond: 300,
  async run({ input }, { db, signal }) {
    if ("messages" in input) {
      const flags = input.messages.map((m) => ({ messageId: m.id, conversationId: m.conversationId, ...judgeMessage(m.body) })).filter((f) => f.decision !== "APPROVED");
      return { status: "success", output: { scanned: input.messages.length, flags, cursor: input.cursor } };
    }
    // Plain SQL only (runtime/sql.ts): a worker that runs the moderator never loads Prisma's query compiler.
    const sql = sqlFor(db);
    const listing = await moderatedListing(sql, input.listingId);
    if (!listing) return { status: "error", output: { listingId: input.listingId, reason: "no such listing" } };
    signal.throwIfAborted();
    const [price, categories] = await Promise.all([
      estimatePrice({ prisma: db.prisma, sql }, { categoryId: listing.categoryId, title: listing.title, attributes: listing.attributes as Record<string, unknown>, county: listing.county, city: listing.city, excludeListingId: listing.id }),
      classifierFor(sql).then((classifier) => classifier?.suggest(listing.title, listing.description, 1) ?? []),
    ]);
    const verdict = judge({ title: listing.title, description: listing.description, priceRon: Number(listing.priceRonBani) / 100, categoryMedianRon: comparableMedian(price, listing.categoryId), sameTextSellers: listing.sameTextSellers });
    const top = categories[0];
    const insights = {
      suggestedCategoryId: top && top.categoryId !== listing.categoryId && top.score >= SUGGEST_CATEGORY_FROM ? top.categoryId : null,
      suggestedPrice: price && { low: price.low, median: price.median, high: price.high, comparables: price.basis.comparables, relaxed: price.basis.relaxed, scope: price.basis.scope },
    };
    return { status: "success", output: { listingId: listing.id, listingVersion: listing.version, ...verdict, insights } };
  },
  async health({ db }) {
    await sqlFor(db)("SELECT 1");
    return { ok: true };
  },
});

/**
 * The median of the listing's comparables (the pricer's estimate), when they are of its own category
 * and enough: a price is "far below" only against listings like it.
 */
function comparableMedian(price: PriceEstimate | null, categoryId: number): number | null {
  if (!price || price.basis.categoryId !== categoryId || price.basis.comparables < ENOUGH) return null;
  return price.median;
}
