import { findCounty } from "../../../lib/locations.ts";
import type { AttributeValue } from "../catalog/attributes.ts";
import { attributeValueLabel } from "../catalog/attributes.ts";
import type { ListingResolvers } from "../__generated__/resolvers.ts";

export const Listing: ListingResolvers = {
  __resolveReference: async ({ id }, { loaders, listings, viewer }) => {
    const listing = await loaders.listing.load(id);
    return listing && listings.canSee(listing, viewer) ? listing : null;
  },
  description: async (l, _, { loaders }) => l.description ?? (await loaders.listing.load(l.id))?.description ?? "",
  price: (l) => ({ amount: l.priceAmount, currency: l.currency }),
  location: (l) => ({ county: findCounty(l.county)!, city: l.city }),
  category: (l, _, { catalog }) => catalog.get(l.categoryId)!,
  attributes: (l, _, { catalog }) => {
    const values = (l.attributes ?? {}) as Record<string, AttributeValue>;
    return catalog
      .attributesOf(catalog.get(l.categoryId)!)
      .filter((def) => values[def.key] !== undefined)
      .map((def) => ({
        key: def.key,
        label: def.label,
        value: String(values[def.key]),
        valueLabel: attributeValueLabel(def, values[def.key]!),
        unit: def.unit ?? null,
      }));
  },
  attributeValues: (l) => l.attributes ?? {},
  status: (l, _, { listings }) => listings.effectiveStatus(l),
  seller: (l) => ({ id: l.sellerId }),
  isMine: (l, _, { viewer }) => viewer?.userId === l.sellerId,
  favoriteCount: (l, _, { loaders }) => loaders.favoriteCount.load(l.id),
  isFavorite: (l, _, { loaders }) => loaders.isFavorite.load(l.id),
  reportCount: (l, _, { loaders }) => loaders.reportCount.load(l.id),
  similar: async (l, { first }, { loaders }) => {
    const size = Math.min(Math.max(first ?? 6, 0), 20);
    const newest = await loaders.newestInCategory.load(`${l.categoryId}:${size + 1}`);
    return newest.filter((other) => other.id !== l.id).slice(0, size);
  },
};
