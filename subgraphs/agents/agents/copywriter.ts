/**
 * copywriter: a clearer, honest Romanian description for a listing, written by the configured
 * OpenAI-compatible model (LLM_BASE_URL, LLM_MODEL). The result is a suggestion in the run's output —
 * the seller's text is never changed here. Without an endpoint it says so and does nothing.
 *
 * Failures of the endpoint (unreachable, timeout, an HTTP error, an answer that is no completion)
 * throw, so the queue tries once more; the run then fails with the client's message (lib/llm.ts),
 * which names the host and never the key.
 */
import { z } from "zod";
import type { AgentContext, AgentResult } from "../runtime/contract.ts";
import { defineAgent } from "../runtime/contract.ts";
import { sqlFor } from "../runtime/sql.ts";
import { cleanAnswer, listingPrompt, reviewAnswer, SYSTEM_PROMPT, type ListingFacts } from "./copywriter-prompt.ts";

export const NO_ENDPOINT = "no LLM endpoint configured (set LLM_BASE_URL and LLM_MODEL)";
/** ~2,000 characters of Romanian, with room to spare. */
const MAX_TOKENS = 1_500;

export const agent = defineAgent({
  name: "copywriter",
  description: "Suggests a clearer, honest Romanian description for a listing, written by the configured LLM (OpenAI-compatible). Needs LLM_BASE_URL.",
  input: z.object({ listingId: z.string().uuid() }),
  timeoutSeconds: 60,
  retries: 1,
  concurrency: 2,
  async run(task, ctx): Promise<AgentResult> {
    if (!ctx.llm) return { status: "error", output: { reason: NO_ENDPOINT } };
    const listing = await readListing(ctx, task.input.listingId);
    if (!listing) return { status: "error", output: { reason: `listing ${task.input.listingId} not found` } };
    await ctx.progress(`asking ${ctx.llm.model} for a description`);
    const started = Date.now();
    const answer = await ctx.llm.complete(listingPrompt(listing), { system: SYSTEM_PROMPT, maxTokens: MAX_TOKENS, signal: ctx.signal });
    const improved = cleanAnswer(answer);
    if (!improved) return { status: "error", output: { reason: `${ctx.llm.model} answered with no text`, listingId: task.input.listingId } };
    return {
      status: "success",
      output: { listingId: task.input.listingId, original: listing.description, improved, model: ctx.llm.model, warnings: reviewAnswer(improved, listing) },
      metadata: { llmMs: Date.now() - started },
    };
  },
  async health(ctx) {
    if (!ctx.llm) return { ok: false, detail: NO_ENDPOINT };
    return ctx.llm.check();
  },
});

async function readListing(ctx: AgentContext, id: string): Promise<ListingFacts | null> {
  // Plain SQL (runtime/sql.ts): a copywriter run in a worker never loads Prisma's query compiler.
  const [listing] = await sqlFor(ctx.db)<{
    title: string;
    description: string;
    priceAmount: number;
    currency: "RON" | "EUR";
    negotiable: boolean;
    condition: string | null;
    attributes: unknown;
    status: string;
    category: string;
  }>(
    `SELECT l.title, l.description, l."priceAmount", l.currency::text AS currency, l.negotiable, l.condition::text AS condition,
            l.attributes, l.status::text AS status, c.name AS category
       FROM "Listing" l JOIN "Category" c ON c.id = l."categoryId" WHERE l.id = $1::uuid`,
    [id],
  );
  if (!listing || listing.status === "DELETED") return null;
  return {
    title: listing.title,
    description: listing.description,
    category: listing.category,
    price: `${formatPrice(Number(listing.priceAmount), listing.currency)}${listing.negotiable ? ", negociabil" : ""}`,
    condition: listing.condition,
    attributes: (listing.attributes ?? {}) as Record<string, unknown>,
  };
}

/** Amounts are kept in bani and cents. */
function formatPrice(amount: number, currency: "RON" | "EUR"): string {
  const text = (amount / 100).toLocaleString("ro-RO", { maximumFractionDigits: 2 });
  return currency === "RON" ? `${text} lei` : `${text} €`;
}
