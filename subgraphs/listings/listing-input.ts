/**
 * A listing as a seller submits it (create, or an update merged onto the current listing), checked
 * against every rule at once and turned into the row to store.
 */
import { z } from "zod";
import { badInput, fromZodError } from "../../lib/errors.ts";
import { requireLocation } from "../../lib/locations.ts";
import { validateAttributes } from "./catalog/attributes.ts";
import type { Catalog } from "./catalog/catalog.ts";
import * as rules from "./listing-rules.ts";

const listingFields = z.object({
  categoryId: z.string(),
  title: rules.title,
  description: rules.description,
  price: rules.money,
  negotiable: z.boolean().nullish(),
  condition: z.enum(["NEW", "USED", "REFURBISHED"]).nullish(),
  county: z.string().trim(),
  city: z.string().trim(),
  attributes: z.unknown().optional(),
});

export function toListingData(input: unknown, catalog: Catalog, eurRonRate: number) {
  const parsed = listingFields.safeParse(input);
  if (!parsed.success) throw fromZodError(parsed.error);
  const data = parsed.data;
  const category = catalog.get(data.categoryId);
  if (!category) throw badInput("Categoria nu există.", "categoryId");
  if (!catalog.isLeaf(category)) throw badInput(`Alege o subcategorie a categoriei „${category.name}”.`, "categoryId");
  const { county, city } = requireLocation(data.county, data.city);
  const attributes = validateAttributes(catalog.attributesOf(category), data.attributes);
  if (attributes.issues.length) {
    throw badInput(attributes.issues.map((i) => i.message).join(" "), attributes.issues[0]!.field);
  }
  return {
    categoryId: category.id,
    title: data.title,
    description: data.description,
    priceAmount: data.price.amount,
    currency: data.price.currency,
    priceRonBani: rules.toRonBani(data.price.amount, data.price.currency, eurRonRate),
    negotiable: data.negotiable ?? false,
    condition: data.condition ?? null,
    county: county.code,
    city,
    attributes: attributes.values,
  };
}
