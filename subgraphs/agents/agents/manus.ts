/**
 * manus, the feed importer: fetches a seller's partner URLs (JSON feeds, and HTML pages with
 * schema.org Product/Offer JSON-LD) and maps their products to draft listings in the shape of
 * CreateListingInput, reporting per URL and per item what it could not map and why.
 *
 * It writes nothing: the drafts are imported through the listings subgraph, which owns listing
 * validation. Every request goes through lib/net/safe-fetch.ts: public addresses on ports 80/443
 * only (AGENT_FETCH_ALLOWED_ADDRESSES / _PORTS open more), every redirect hop and connection checked,
 * a timeout and a size cap per URL, at most `maxHosts` hosts at once and one request per host.
 */
import { setMaxListeners } from "node:events";
import { z } from "zod";
import { loadConfig } from "../../../lib/env.ts";
import { createSafeFetch, SafeFetchError, type SafeFetchOptions, type SafeFetchReason } from "../../../lib/net/safe-fetch.ts";
import { defineAgent } from "../runtime/contract.ts";
import { sqlFor } from "../runtime/sql.ts";
import { CategoryIndex } from "./manus-catalog.ts";
import { type Reason, reason } from "./manus-item.ts";
import { type Draft, mapItem } from "./manus-map.ts";
import { readPage } from "./manus-page.ts";

export const manusInput = z.object({
  /** The seller the drafts are for. */
  sellerId: z.uuid(),
  /** Partner feeds or product pages: http(s), public addresses, ports 80/443 (unless configured). */
  urls: z.array(z.url().max(2048)).min(1).max(50),
});

export type ManusInput = z.output<typeof manusInput>;

export interface Unmapped {
  url: string;
  /** Absent when the reasons are about the whole document. */
  item?: { ref: string; id?: string; title?: string };
  reasons: Reason[];
}

export interface ManusOutput {
  sellerId: string;
  drafts: Draft[];
  unmapped: Unmapped[];
  /** URLs whose document was read. */
  fetched: number;
  failed: { url: string; reason: SafeFetchReason | "RUN_DEADLINE"; message: string }[];
}

export interface ManusOptions {
  /** Who may be reached: by default the configuration's (AGENT_FETCH_ALLOWED_*), read at each run. */
  policy?: () => Pick<SafeFetchOptions, "allowLoopback" | "allowPrivate" | "allowedAddresses" | "allowedPorts">;
  /** Hosts fetched from at once (one request per host at a time). Default 4. */
  maxHosts?: number;
  /** Per URL, redirects included. Default 10 s. */
  timeoutMs?: number;
  /** Per URL body, decoded. Default 5 MB. */
  maxBytes?: number;
  /** Items read from one URL. Default 200. */
  maxItemsPerUrl?: number;
  /** Items read in one run, all URLs together (the output is stored with the run). Default 1,000. */
  maxItemsPerRun?: number;
  /** The run's own budget: URLs not fetched by then are reported failed, the rest returned. Default 240 s. */
  budgetMs?: number;
}

/** The deployment's outbound policy. lib/env.ts reads the environment; the runtime hands agents no configuration yet. */
const configuredPolicy = () => {
  const config = loadConfig();
  return { allowedAddresses: config.AGENT_FETCH_ALLOWED_ADDRESSES, allowedPorts: config.AGENT_FETCH_ALLOWED_PORTS };
};

export function createManusAgent(options: ManusOptions = {}) {
  const budgetMs = options.budgetMs ?? 240_000;
  return defineAgent({
    name: "manus",
    description:
      "Feed importer: fetches a seller's partner URLs (JSON feeds, HTML pages with schema.org Product JSON-LD) and maps their products to draft listings (CreateListingInput), reporting what it could not map and why. Public addresses on ports 80/443 only; writes nothing.",
    input: manusInput,
    timeoutSeconds: Math.ceil(budgetMs / 1000) + 60,
    retries: 1,
    concurrency: 2,

    async run(task, ctx) {
      const started = Date.now();
      const { sellerId } = task.input;
      const urls = [...new Set(task.input.urls)];
      const categories = await CategoryIndex.load(ctx.db);
      // Cancellation stops the run; the budget only stops fetching, and what was read is returned.
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(budgetMs)]);
      setMaxListeners(urls.length + 10, signal); // each URL's fetch listens to it while it runs
      const fetcher = createSafeFetch({
        ...(options.policy ?? configuredPolicy)(),
        maxConcurrentHosts: options.maxHosts ?? 4,
        timeoutMs: options.timeoutMs ?? 10_000,
        maxBytes: options.maxBytes ?? 5 * 1024 * 1024,
      });
      await ctx.progress(`fetching ${urls.length} URL${urls.length === 1 ? "" : "s"}, ${options.maxHosts ?? 4} hosts at once`);

      const allowance = { left: options.maxItemsPerRun ?? 1_000 };
      let done = 0;
      const results = await Promise.all(
        urls.map(async (url) => {
          const result = await importUrl(url, { sellerId, categories, fetcher, signal, maxItems: options.maxItemsPerUrl ?? 200, allowance });
          ctx.signal.throwIfAborted();
          await ctx.progress(`${++done}/${urls.length} ${url}: ${summary(result)}`);
          return result;
        }),
      );
      ctx.signal.throwIfAborted();

      const output: ManusOutput = {
        sellerId,
        drafts: results.flatMap((r) => r.drafts),
        unmapped: results.flatMap((r) => r.unmapped),
        fetched: results.filter((r) => !r.failed).length,
        failed: results.flatMap((r) => (r.failed ? [{ url: r.url, ...r.failed }] : [])),
      };
      await ctx.progress(`done: ${output.drafts.length} drafts, ${output.unmapped.length} unmapped, ${output.failed.length} URLs failed`);
      return { status: "success", output, metadata: { durationMs: Date.now() - started, urls: urls.length } };
    },

    async health(ctx) {
      try {
        const [{ count } = { count: 0 }] = await sqlFor(ctx.db)<{ count: number }>(`SELECT count(*)::int AS count FROM "Category"`);
        return count > 0 ? { ok: true } : { ok: false, detail: "the Category table is empty: nothing to map categories to" };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
  });
}

interface UrlResult {
  url: string;
  drafts: Draft[];
  unmapped: Unmapped[];
  failed?: { reason: SafeFetchReason | "RUN_DEADLINE"; message: string };
}

interface ImportDeps {
  sellerId: string;
  categories: CategoryIndex;
  fetcher: ReturnType<typeof createSafeFetch>;
  signal: AbortSignal;
  maxItems: number;
  /** Items the run may still read: shared by its URLs. */
  allowance: { left: number };
}

/** One URL: fetched, read, each item mapped. A fetch that fails is the URL's result, not the run's. */
async function importUrl(url: string, deps: ImportDeps): Promise<UrlResult> {
  let page;
  try {
    const response = await deps.fetcher(url, { signal: deps.signal });
    page = { url: response.url, contentType: response.contentType, text: response.text() };
  } catch (error) {
    if (!deps.signal.aborted && error instanceof SafeFetchError) return { url, drafts: [], unmapped: [], failed: { reason: error.reason, message: error.message } };
    if (deps.signal.aborted) return { url, drafts: [], unmapped: [], failed: { reason: "RUN_DEADLINE", message: `not fetched within the run's budget: ${url}` } };
    throw error;
  }
  const { items: read, problems } = readPage(page, deps.maxItems);
  const items = read.slice(0, deps.allowance.left);
  deps.allowance.left -= items.length;
  if (items.length < read.length) problems.push(reason("", "TOO_MANY_ITEMS", `the run's item limit was reached: ${read.length - items.length} of this URL's items were not read`));
  const result: UrlResult = { url, drafts: [], unmapped: problems.length ? [{ url, reasons: problems }] : [] };
  for (const item of items) {
    const mapped = mapItem(item, url, deps.sellerId, deps.categories);
    if ("draft" in mapped) result.drafts.push(mapped.draft);
    else result.unmapped.push({ url, item: { ref: item.ref, ...(item.id ? { id: item.id } : {}), ...(item.title ? { title: item.title.slice(0, 120) } : {}) }, reasons: mapped.reasons });
  }
  return result;
}

function summary(result: UrlResult): string {
  if (result.failed) return `failed (${result.failed.reason})`;
  return `${result.drafts.length} drafts, ${result.unmapped.filter((u) => u.item).length} items unmapped`;
}

export const agent = createManusAgent();
