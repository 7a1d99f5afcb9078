/**
 * Partner JSON feeds: an array of products, or an object holding one under a usual key (items,
 * products, …), each product under the field names partners commonly use, English or Romanian.
 */
import { absoluteUrl, asList, type FeedItem, isObject, type Json, type JsonObject, pick, plainText } from "./manus-item.ts";

const LIST_KEYS = ["items", "products", "listings", "ads", "offers", "results", "data", "entries", "produse", "anunturi"];

const FIELDS = {
  id: ["id", "sku", "productId", "product_id", "externalId", "external_id", "code", "url", "link"],
  title: ["title", "name", "productName", "product_name", "titlu", "denumire", "nume"],
  description: ["description", "descriptionHtml", "description_html", "desc", "details", "body", "content", "descriere"],
  price: ["price", "amount", "priceAmount", "price_amount", "salePrice", "sale_price", "pret", "pretul"],
  currency: ["currency", "priceCurrency", "price_currency", "currencyCode", "moneda", "valuta"],
  category: ["category", "categoryPath", "category_path", "categories", "categoryName", "category_name", "breadcrumb", "categorie", "categoria"],
  location: ["location", "address", "locatie", "adresa"],
  city: ["city", "town", "locality", "addressLocality", "oras", "localitate"],
  county: ["county", "region", "state", "addressRegion", "judet", "judetul"],
  condition: ["condition", "itemCondition", "item_condition", "state_of_item", "stare", "starea"],
  negotiable: ["negotiable", "negociabil", "priceNegotiable"],
  images: ["images", "image", "imageUrl", "image_url", "imageUrls", "image_urls", "photos", "pictures", "gallery", "imagini", "poze"],
  attributes: ["attributes", "specs", "specifications", "properties", "params", "parameters", "caracteristici", "atribute"],
} as const;

/** The products of a feed, or null when the document holds no list of objects to read. */
export function feedRecords(document: Json, nested = false): { records: JsonObject[]; path: string } | null {
  if (Array.isArray(document)) return { records: document.filter(isObject), path: "" };
  if (!isObject(document)) return null;
  for (const key of LIST_KEYS) {
    const value = document[key];
    if (Array.isArray(value)) return { records: value.filter(isObject), path: key };
    // { data: { items: [...] } }: one level down, no further.
    if (isObject(value) && !nested) {
      const inner = feedRecords(value, true);
      if (inner && inner.path) return { records: inner.records, path: `${key}.${inner.path}` };
    }
  }
  // One product on its own.
  if (pick(document, FIELDS.title) !== undefined) return { records: [document], path: "" };
  return null;
}

/** One feed record read into a FeedItem; `base` resolves relative image URLs. */
export function readFeedRecord(record: JsonObject, ref: string, base: string): FeedItem {
  const price = pick(record, FIELDS.price);
  const nested = isObject(price) ? price : undefined;
  const currency = (nested && pick(nested, ["currency", "currencyCode", "priceCurrency"])) ?? pick(record, FIELDS.currency);
  const id = pick(record, FIELDS.id);
  const negotiable = pick(record, FIELDS.negotiable);
  return {
    ref,
    ...(typeof id === "string" || typeof id === "number" ? { id: String(id) } : {}),
    ...optional("title", plainText(pick(record, FIELDS.title))),
    ...optional("description", plainText(pick(record, FIELDS.description))),
    ...(price !== undefined ? { price: { amount: nested ? pick(nested, ["amount", "value", "price"]) : price, ...optional("currency", textOf(currency)) } } : {}),
    category: categoryPath(pick(record, FIELDS.category)),
    location: location(record),
    ...optional("condition", textOf(pick(record, FIELDS.condition))),
    ...(typeof negotiable === "boolean" ? { negotiable } : {}),
    images: [...new Set(asList(pick(record, FIELDS.images)).map((image) => absoluteUrl(image, base)).filter((url): url is string => !!url))],
    attributes: { ...topLevelAttributes(record), ...attributes(pick(record, FIELDS.attributes)) },
  };
}

const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

function textOf(value: unknown): string | undefined {
  if (isObject(value)) return plainText(pick(value, ["name", "title", "label", "value"]));
  return plainText(value);
}

/** "Electronice > Telefoane", ["Electronice", "Telefoane"], { name } or [{ name }]: the names, general first. */
export function categoryPath(value: unknown): string[] {
  return asList(value)
    .flatMap((entry) => {
      const text = textOf(entry);
      return text ? text.split(/\s*(?:>|»|›|\/|\||\\)\s*/) : [];
    })
    .map((name) => name.trim())
    .filter(Boolean);
}

function location(record: JsonObject): FeedItem["location"] {
  const given = pick(record, FIELDS.location);
  const place = isObject(given) ? given : record;
  const city = textOf(pick(place, FIELDS.city));
  const county = textOf(pick(place, FIELDS.county));
  const text = typeof given === "string" ? plainText(given) : undefined;
  return { ...optional("city", city), ...optional("county", county), ...optional("text", text) };
}

/** Specifications some feeds give beside the title rather than in a block of their own. */
const TOP_LEVEL_ATTRIBUTES = ["brand", "make", "model", "year", "mileage", "km", "fuel", "color", "size", "rooms", "area", "marca", "an"];

function topLevelAttributes(record: JsonObject): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ATTRIBUTES) {
    const value = record[key];
    if (value !== undefined && value !== null && value !== "") found[key] = isObject(value) ? textOf(value) : value;
  }
  return found;
}

/** { make: "Dacia" } or [{ name: "make", value: "Dacia" }]: named values. */
function attributes(value: unknown): Record<string, unknown> {
  if (isObject(value)) return { ...value };
  const named: Record<string, unknown> = {};
  for (const entry of asList(value)) {
    if (!isObject(entry)) continue;
    const name = pick(entry, ["name", "key", "label", "nume"]);
    const found = pick(entry, ["value", "val", "valoare"]);
    if (typeof name === "string" && found !== undefined) named[name] = found;
  }
  return named;
}
