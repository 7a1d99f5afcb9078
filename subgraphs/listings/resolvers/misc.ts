import type { ListingModerationResultResolvers, ListingReportResolvers, MoneyResolvers } from "../__generated__/resolvers.ts";
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
