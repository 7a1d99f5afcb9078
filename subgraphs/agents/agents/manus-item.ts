/**
 * manus's common ground: a product as a partner published it (FeedItem), read from a JSON feed or from
 * schema.org JSON-LD, with its values still as found; what could not be mapped and why (Reason); and
 * the small readers both formats share.
 */
import { Parser } from "htmlparser2";

export interface FeedItem {
  /** Where the item is in its document: "items[3]", "ld+json[0].@graph[2]". */
  ref: string;
  /** The partner's own id (sku, id, url) when it gives one. */
  id?: string;
  title?: string;
  description?: string;
  /** A number or text as found ("1.250 lei", 1250, "1250.00"), and a currency when given apart. */
  price?: { amount: unknown; currency?: string };
  /** Category names, the most general first: ["Electronice", "Telefoane"]. */
  category: string[];
  location: { county?: string; city?: string; text?: string };
  condition?: string;
  negotiable?: boolean;
  /** Absolute http(s) URLs. */
  images: string[];
  /** Named values (specifications, brand, model) as found, for the category's attributes. */
  attributes: Record<string, unknown>;
}

export type ReasonCode =
  | "UNSUPPORTED_CONTENT"
  | "INVALID_JSON"
  | "NO_ITEMS"
  | "TOO_MANY_ITEMS"
  | "TITLE_MISSING"
  | "DESCRIPTION_MISSING"
  | "PRICE_MISSING"
  | "PRICE_INVALID"
  | "PRICE_TOO_LARGE"
  | "CURRENCY_MISSING"
  | "CURRENCY_UNSUPPORTED"
  | "CATEGORY_MISSING"
  | "CATEGORY_NOT_FOUND"
  | "CATEGORY_NOT_LEAF"
  | "LOCATION_MISSING"
  | "COUNTY_NOT_FOUND"
  | "CITY_NOT_FOUND"
  | "CITY_AMBIGUOUS"
  | "ATTRIBUTE_REQUIRED"
  | "ATTRIBUTE_INVALID"
  | "CONDITION_UNKNOWN"
  | "IMAGES_DROPPED";

/** What could not be mapped: the draft field (or "" for the whole document), a code, and why in words. */
export interface Reason {
  field: string;
  reason: ReasonCode;
  message: string;
}

export const reason = (field: string, code: ReasonCode, message: string): Reason => ({ field, reason: code, message });

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** A value as a list: absent → [], one → [it]. */
export const asList = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/** The first of `keys` the object has a non-empty value for. */
export function pick(object: JsonObject, keys: readonly string[]): Json | undefined {
  for (const key of keys) {
    const value = object[key];
    if (value !== undefined && value !== null && value !== "") return value;
  }
  return undefined;
}

const MAX_TEXT = 20_000;

/** Text a reader sees: tags dropped, entities decoded, white space folded (paragraphs kept as line breaks). */
export function plainText(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return undefined;
  // Far past any listing's text (a description is at most 9,000 characters): bounds the run's output.
  const raw = value.length > MAX_TEXT * 4 ? value.slice(0, MAX_TEXT * 4) : value;
  const text = (/[<&]/.test(raw) ? htmlToText(raw) : raw).slice(0, MAX_TEXT);
  const folded = text
    .split(/\n/)
    .map((line) => line.replace(/\s+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return folded || undefined;
}

const BLOCKS = new Set(["p", "div", "br", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"]);
const HIDDEN = new Set(["script", "style", "template", "noscript"]);

/** An HTML fragment's text (descriptions in feeds are often HTML): htmlparser2 decodes the entities. */
export function htmlToText(html: string): string {
  let text = "";
  let hidden = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (HIDDEN.has(name)) hidden++;
        else if (BLOCKS.has(name)) text += "\n";
      },
      ontext(data) {
        if (hidden === 0) text += data;
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden--;
        else if (BLOCKS.has(name)) text += "\n";
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return text;
}

/** An absolute http(s) URL for `value` (a string, or an object with url/src/contentUrl) read against `base`. */
export function absoluteUrl(value: unknown, base: string): string | undefined {
  const raw = typeof value === "string" ? value : isObject(value) ? pick(value, ["url", "src", "contentUrl", "href"]) : undefined;
  if (typeof raw !== "string") return undefined;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Lower case, no diacritics (comma-below and cedilla alike), "&" as "și", punctuation as spaces. */
export function foldName(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " si ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
