import type { ListingImportResolvers, ListingInsightsResolvers, ListingModerationResultResolvers, ListingReportResolvers, MoneyResolvers, PriceInsightResolvers } from "../__generated__/resolvers.ts";
import type { ImportProblem } from "../imports.ts";
import type { StoredInsights } from "../moderation.ts";
import { formatMoney } from "../listing-rules.ts";

export const Money: MoneyResolvers = {
  formatted: (m) => formatMoney(m.amount, m.currency),
};

export const ListingReport: ListingReportResolvers = {
  listing: async (r, _, { loaders }) => (await loaders.listing.load(r.listingId))!,
  reporter: (r) => ({ id: r.reporterId }),
};

export const ListingModerationResult: ListingModerationResultResolvers = {
  reasons: (m) => m.reasons as { code: string; message: string }[],
  byAdmin: (m) => m.decidedBy !== null,
  decidedAt: (m) => m.updatedAt,
};

// Insights were checked when the verdict was stored (moderation.ts).
const insightsOf = (i: { moderation: { insights: unknown } | null }) => (i.moderation?.insights ?? {}) as StoredInsights;
const lei = (value: number) => ({ amount: Math.round(value * 100), currency: "RON" as const });

export const ListingInsights: ListingInsightsResolvers = {
  suggestedCategory: (i, _, { catalog }) => {
    const id = insightsOf(i).suggestedCategoryId;
    return id == null ? null : (catalog.get(String(id)) ?? null);
  },
  suggestedPrice: (i) => insightsOf(i).suggestedPrice ?? null,
};

export const PriceInsight: PriceInsightResolvers = {
  low: (p) => lei(p.low),
  median: (p) => lei(p.median),
  high: (p) => lei(p.high),
};

export const ListingImport: ListingImportResolvers = {
  // The seller's own drafts (only the seller reads their imports); one batch for the whole list.
  listings: async (i, _, { loaders }) => (await Promise.all(i.listingIds.map((id) => loaders.visibleListing.load(id)))).filter((l) => l !== null),
  problems: (i) => i.problems as unknown as ImportProblem[],
};
