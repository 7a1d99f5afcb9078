/**
 * A FeedItem → a draft listing in the shape of CreateListingInput, or every reason it cannot be one.
 * manus only maps: the listings subgraph validates a draft against its rules (lengths, contact
 * details, attribute bounds) when the draft is imported.
 */
import { createHash } from "node:crypto";
import type { AttributeDefinition, CategoryIndex } from "./manus-catalog.ts";
import { type FeedItem, foldName, type Reason, reason } from "./manus-item.ts";
import { parseNumber, readPrice, type Money } from "./manus-price.ts";
import { readPlace } from "./manus-places.ts";

/** CreateListingInput, as the listings subgraph's createListing takes it. */
export interface CreateListingDraft {
  categoryId: string;
  title: string;
  description: string;
  price: Money;
  negotiable?: boolean;
  condition?: "NEW" | "USED" | "REFURBISHED";
  county: string;
  city: string;
  attributes?: Record<string, unknown>;
}

export interface Draft {
  input: CreateListingDraft;
  /** createListing's idempotencyKey: the same item of the same feed for the same seller is one listing. */
  idempotencyKey: string;
  source: { url: string; ref: string; id?: string };
  /** The partner's pictures (a listing has no images field yet). */
  images: string[];
  /** What was left out of an otherwise mapped item (an unknown condition, an attribute not understood). */
  notes: Reason[];
}

export type Mapped = { draft: Draft } | { reasons: Reason[] };

const MAX_IMAGES = 20;

export function mapItem(item: FeedItem, url: string, sellerId: string, categories: CategoryIndex): Mapped {
  const reasons: Reason[] = [];
  const notes: Reason[] = [];
  if (!item.title) reasons.push(reason("title", "TITLE_MISSING", "the item has no title or name"));
  if (!item.description) reasons.push(reason("description", "DESCRIPTION_MISSING", "the item has no description"));
  const price = readPrice(item.price);
  if ("problem" in price) reasons.push(price.problem);
  const category = categories.match(item.category);
  if ("problem" in category) reasons.push(category.problem);
  const place = readPlace(item.location);
  if ("problem" in place) reasons.push(place.problem);
  const attributes = "category" in category ? readAttributes(category.category.attributes, item.attributes) : undefined;
  if (attributes) {
    reasons.push(...attributes.reasons);
    notes.push(...attributes.notes);
  }
  const condition = readCondition(item.condition);
  if (condition.note) notes.push(condition.note);
  if (item.images.length > MAX_IMAGES) notes.push(reason("images", "IMAGES_DROPPED", `${item.images.length - MAX_IMAGES} pictures past the first ${MAX_IMAGES} were left out`));
  if (reasons.length > 0 || !("money" in price) || !("category" in category) || !("city" in place)) return { reasons };

  const input: CreateListingDraft = {
    categoryId: String(category.category.id),
    title: item.title!,
    description: item.description!,
    price: price.money,
    ...(item.negotiable !== undefined ? { negotiable: item.negotiable } : {}),
    ...(condition.value ? { condition: condition.value } : {}),
    county: place.county,
    city: place.city,
    ...(attributes && Object.keys(attributes.values).length > 0 ? { attributes: attributes.values } : {}),
  };
  const source = { url, ref: item.ref, ...(item.id ? { id: item.id } : {}) };
  return { draft: { input, idempotencyKey: idempotencyKey(sellerId, url, item.id ?? item.ref), source, images: item.images.slice(0, MAX_IMAGES), notes } };
}

function idempotencyKey(sellerId: string, url: string, itemKey: string): string {
  return `manus-${createHash("sha256").update(JSON.stringify([sellerId, url, itemKey])).digest("hex").slice(0, 40)}`;
}

const CONDITIONS: [RegExp, NonNullable<CreateListingDraft["condition"]>][] = [
  // "ca nou" (like new) is a used item in good shape: before "nou".
  [/\b(?:ca nou|ca noua|like new|as new)\b/, "USED"],
  [/\b(?:refurbished|recondition\w*|renewed)\b|refurbishedcondition/, "REFURBISHED"],
  [/\b(?:new|nou|noua|nou nout|sigilat)\b|newcondition/, "NEW"],
  [/\b(?:used|folosit\w*|utilizat\w*|second hand|sh)\b|usedcondition/, "USED"],
];

function readCondition(text: string | undefined): { value?: CreateListingDraft["condition"]; note?: Reason } {
  if (!text) return {};
  const key = foldName(text.replace(/^https?:\/\/schema\.org\//i, ""));
  for (const [pattern, value] of CONDITIONS) if (pattern.test(key)) return { value };
  return { note: reason("condition", "CONDITION_UNKNOWN", `condition "${text.slice(0, 40)}" is none of new, used, refurbished: left out`) };
}

/** Other names partners give our attribute keys. */
const ALIASES: Record<string, string[]> = {
  make: ["brand", "marca", "producator", "manufacturer"],
  brand: ["make", "marca", "producator", "manufacturer"],
  year: ["an", "an fabricatie", "vehicle model date", "production date", "model year"],
  km: ["mileage", "kilometraj", "rulaj", "mileage from odometer", "odometer"],
  fuel: ["fuel type", "combustibil", "carburant"],
  gearbox: ["transmission", "vehicle transmission", "cutie de viteze"],
  bodyType: ["caroserie", "body"],
  color: ["culoare", "colour"],
};

/** The category's attributes from the item's named values: each converted to its type, the required ones present. */
function readAttributes(definitions: readonly AttributeDefinition[], given: Record<string, unknown>): { values: Record<string, unknown>; reasons: Reason[]; notes: Reason[] } {
  const byName = new Map(Object.entries(given).map(([name, value]) => [nameKey(name), value] as const));
  const values: Record<string, unknown> = {};
  const reasons: Reason[] = [];
  const notes: Reason[] = [];
  for (const definition of definitions) {
    const names = [definition.key, definition.label, ...(ALIASES[definition.key] ?? [])].map(nameKey);
    const raw = names.map((name) => byName.get(name)).find((v) => v !== undefined && v !== null && v !== "");
    const field = `attributes.${definition.key}`;
    if (raw === undefined) {
      if (definition.required) reasons.push(reason(field, "ATTRIBUTE_REQUIRED", `${definition.label} (${definition.key}) is required in this category and the item does not give it`));
      continue;
    }
    const value = convert(definition, raw);
    if (value !== undefined) values[definition.key] = value;
    else (definition.required ? reasons : notes).push(reason(field, "ATTRIBUTE_INVALID", `${definition.label}: "${String(raw).slice(0, 40)}" is not ${expected(definition)}`));
  }
  return { values, reasons, notes };
}

/** "fuelType", "Fuel type" and "combustibil" alike: camelCase split, then folded. */
const nameKey = (name: string) => foldName(name.replace(/([a-z])([A-Z])/g, "$1 $2"));

function convert(definition: AttributeDefinition, raw: unknown): unknown {
  const text = String(raw).trim();
  switch (definition.type) {
    case "INT": {
      const n = typeof raw === "number" ? raw : parseNumber(text);
      return n !== undefined && Number.isFinite(n) ? Math.round(n) : undefined;
    }
    case "DECIMAL": {
      const n = typeof raw === "number" ? raw : parseNumber(text);
      return n !== undefined && Number.isFinite(n) ? n : undefined;
    }
    case "BOOLEAN": {
      const key = foldName(text);
      if (raw === true || ["true", "da", "yes", "1"].includes(key)) return true;
      if (raw === false || ["false", "nu", "no", "0"].includes(key)) return false;
      return undefined;
    }
    case "ENUM": {
      const key = foldName(text);
      return definition.options?.find((o) => foldName(o.value) === key || foldName(o.label) === key)?.value;
    }
    default:
      return typeof raw === "object" ? undefined : text || undefined;
  }
}

function expected(definition: AttributeDefinition): string {
  switch (definition.type) {
    case "ENUM":
      return `one of ${(definition.options ?? []).map((o) => o.label).join(", ")}`;
    case "BOOLEAN":
      return "yes or no";
    case "STRING":
      return "text";
    default:
      return "a number";
  }
}
