/**
 * A listing as a seller submits it (create, or an update merged onto the current listing), checked
 * against every rule at once — every bad field is reported in one BAD_USER_INPUT — and turned into
 * the row to store.
 */
import { toRonBani } from "../../lib/money.ts";
import { z } from "zod";
import { InputProblems, type Problem } from "../../lib/errors.ts";
import { checkLocation } from "../../lib/locations.ts";
import { validateAttributes } from "./catalog/attributes.ts";
import type { Catalog, CatalogCategory } from "./catalog/catalog.ts";
import * as rules from "./listing-rules.ts";

/** The shape the GraphQL input types already guarantee; the rules of each field are checked below. */
const listingShape = z.object({
  categoryId: z.string(),
  title: z.string(),
  description: z.string(),
  price: z.unknown(),
  negotiable: z.boolean().nullish(),
  condition: z.enum(["NEW", "USED", "REFURBISHED"]).nullish(),
  county: z.string(),
  city: z.string(),
  attributes: z.unknown().optional(),
});

export function toListingData(input: unknown, catalog: Catalog, eurRonRate: number) {
  const problems = new InputProblems();
  const shape = problems.parse("", listingShape, input);
  problems.throwIfAny();
  const given = shape!;
  const title = problems.parse("title", rules.title, given.title);
  const description = problems.parse("description", rules.description, given.description);
  const price = problems.parse("price", rules.money, given.price);
  const category = catalog.get(given.categoryId);
  problems.add("categoryId", categoryProblem(catalog, category));
  const { location, problems: locationProblems } = checkLocation(given.county, given.city);
  problems.addAll(locationProblems);
  // Attributes are defined by the category: they can only be checked against one that exists.
  const attributes = category && catalog.isLeaf(category) ? validateAttributes(catalog.attributesOf(category), given.attributes) : undefined;
  if (attributes) problems.addAll(attributes.issues);
  problems.throwIfAny();
  // Past throwIfAny every check above passed, so each value it returned is there.
  return {
    categoryId: category!.id,
    title: title!,
    description: description!,
    priceAmount: price!.amount,
    currency: price!.currency,
    priceRonBani: toRonBani(price!.amount, price!.currency, eurRonRate),
    negotiable: given.negotiable ?? false,
    condition: given.condition ?? null,
    county: location!.county.code,
    city: location!.city,
    attributes: attributes!.values,
  };
}

const imageIdsShape = z.object({ imageIds: z.array(z.string()).nullish() });

/**
 * The photos a new listing is created with (createListing's `imageIds`), as given; their rules are in
 * listing-images.ts. Feeds' drafts (imports.ts) come without.
 */
export function imageIdsOf(input: unknown): string[] {
  const problems = new InputProblems();
  const given = problems.parse("", imageIdsShape, input);
  problems.throwIfAny();
  return given?.imageIds ?? [];
}

function categoryProblem(catalog: Catalog, category: CatalogCategory | undefined): Problem | undefined {
  if (!category) return { reason: "NOT_FOUND", message: { ro: "Categoria nu există.", en: "There is no such category." } };
  if (catalog.isLeaf(category)) return undefined;
  return {
    reason: "NOT_ALLOWED",
    message: {
      ro: `Alege o subcategorie a categoriei „${category.name}”.`,
      en: `Choose a subcategory of "${category.name}" (a listing goes in a category without subcategories).`,
    },
  };
}
