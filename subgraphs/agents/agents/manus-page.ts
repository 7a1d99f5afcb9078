/**
 * One fetched document → its items: a JSON feed, a JSON-LD document, or an HTML page's JSON-LD
 * products, told apart by Content-Type and, when that says neither, by the first character.
 */
import { feedRecords, readFeedRecord } from "./manus-feed.ts";
import { type FeedItem, type Json, type Reason, reason } from "./manus-item.ts";
import { jsonLdBlocks, looksLikeJsonLd, readJsonLd, readJsonLdBlocks } from "./manus-jsonld.ts";

export interface Page {
  /** The URL after redirects: relative image URLs resolve against it. */
  url: string;
  contentType: string | undefined;
  text: string;
}

export interface PageItems {
  items: FeedItem[];
  /** About the document as a whole: not JSON, no products, more items than taken. */
  problems: Reason[];
}

export function readPage(page: Page, maxItems: number): PageItems {
  const kind = kindOf(page);
  const read = kind === "json" ? readJson(page) : kind === "html" ? readHtml(page) : { items: [], problems: [reason("", "UNSUPPORTED_CONTENT", `${page.contentType ?? "a body without Content-Type"} is neither JSON nor HTML`)] };
  if (read.items.length <= maxItems) return read;
  return {
    items: read.items.slice(0, maxItems),
    problems: [...read.problems, reason("", "TOO_MANY_ITEMS", `${read.items.length} items: the first ${maxItems} were read`)],
  };
}

function kindOf(page: Page): "json" | "html" | undefined {
  const type = (page.contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || type === "text/json" || type.endsWith("+json")) return "json";
  if (type === "text/html" || type === "application/xhtml+xml") return "html";
  const first = page.text.trimStart()[0];
  if (first === "{" || first === "[") return "json";
  if (first === "<") return "html";
  return undefined;
}

function readJson(page: Page): PageItems {
  let document: Json;
  try {
    document = JSON.parse(page.text) as Json;
  } catch {
    return { items: [], problems: [reason("", "INVALID_JSON", "the body is not valid JSON")] };
  }
  if (looksLikeJsonLd(document)) {
    const items = readJsonLd([{ value: document, ref: "ld+json" }], page.url);
    return { items, problems: items.length ? [] : [reason("", "NO_ITEMS", "the JSON-LD document describes no schema.org Product")] };
  }
  const feed = feedRecords(document);
  if (!feed) return { items: [], problems: [reason("", "NO_ITEMS", "no list of products: expected an array, or one under items, products, …")] };
  const prefix = feed.path ? `${feed.path}` : "";
  const items = feed.records.map((record, i) => readFeedRecord(record, `${prefix}[${i}]`, page.url));
  return { items, problems: items.length ? [] : [reason("", "NO_ITEMS", "the feed's list of products is empty")] };
}

function readHtml(page: Page): PageItems {
  const blocks = jsonLdBlocks(page.text);
  const { items, invalidBlocks } = readJsonLdBlocks(blocks, page.url);
  const problems = invalidBlocks.map((i) => reason("", "INVALID_JSON", `JSON-LD block ${i} is not valid JSON`));
  if (items.length === 0) {
    problems.push(reason("", "NO_ITEMS", blocks.length ? "the page's JSON-LD describes no schema.org Product" : "the page has no JSON-LD (schema.org Product) to read"));
  }
  return { items, problems };
}
