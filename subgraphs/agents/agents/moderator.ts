/**
 * The moderator: judges one version of a listing before it is shown (publishListing queues it, with a
 * reply to the listings subgraph, which applies the verdict: lib/agent-requests.ts), reading the
 * listing and two facts about its peers; and scores batches of chat messages the chat subgraph sends
 * (its scans), returning the ones to flag. Every decision is moderator-rules.ts's.
 */
import { LRUCache } from "lru-cache";
import { z } from "zod";
import type { PrismaClient } from "../../../lib/db/database.ts";
import { defineAgent } from "../runtime/contract.ts";
import { judge, judgeMessage } from "./moderator-rules.ts";

/** A category's median moves slowly; one query per category per few minutes is plenty. */
const medians = new LRUCache<number, { value: number | null }>({ max: 2_000, ttl: 5 * 60_000 });
/** Fewer active listings than this and a median says nothing. */
const MIN_PEERS_FOR_MEDIAN = 5;

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
  concurrency: 4,
  async run({ input }, { db, signal }) {
    if ("messages" in input) {
      const flags = input.messages.map((m) => ({ messageId: m.id, conversationId: m.conversationId, ...judgeMessage(m.body) })).filter((f) => f.decision !== "APPROVED");
      return { status: "success", output: { scanned: input.messages.length, flags, cursor: input.cursor } };
    }
    const listing = await db.prisma.listing.findUnique({
      where: { id: input.listingId },
      select: { id: true, version: true, sellerId: true, categoryId: true, title: true, description: true, priceRonBani: true },
    });
    if (!listing) return { status: "error", output: { listingId: input.listingId, reason: "no such listing" } };
    signal.throwIfAborted();
    const [categoryMedianRon, sameTextSellers] = await Promise.all([categoryMedian(db.prisma, listing.categoryId), sameTextSellerCount(db.prisma, listing)]);
    const verdict = judge({ title: listing.title, description: listing.description, priceRon: Number(listing.priceRonBani) / 100, categoryMedianRon, sameTextSellers });
    return { status: "success", output: { listingId: listing.id, listingVersion: listing.version, ...verdict } };
  },
  async health({ db }) {
    await db.prisma.$queryRaw`SELECT 1`;
    return { ok: true };
  },
});

async function categoryMedian(prisma: PrismaClient, categoryId: number): Promise<number | null> {
  const cached = medians.get(categoryId);
  if (cached) return cached.value;
  const [row] = await prisma.$queryRaw<{ median: number | null; peers: bigint }[]>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "priceRonBani")::float8 / 100 AS median, count(*) AS peers
    FROM "Listing" WHERE "categoryId" = ${categoryId} AND status = 'ACTIVE'`;
  const value = row && Number(row.peers) >= MIN_PEERS_FOR_MEDIAN ? row.median : null;
  medians.set(categoryId, { value });
  return value;
}

/** Other sellers with a live listing of the same category, title and description (copied scam text). */
async function sameTextSellerCount(prisma: PrismaClient, listing: { id: string; sellerId: string; categoryId: number; title: string; description: string }): Promise<number> {
  const [row] = await prisma.$queryRaw<{ sellers: bigint }[]>`
    SELECT count(DISTINCT "sellerId") AS sellers FROM "Listing"
    WHERE "categoryId" = ${listing.categoryId} AND status IN ('ACTIVE', 'PENDING_REVIEW')
      AND "sellerId" <> ${listing.sellerId}::uuid AND id <> ${listing.id}::uuid
      AND lower(title) = lower(${listing.title}) AND lower(description) = lower(${listing.description})`;
  return Number(row?.sellers ?? 0);
}
