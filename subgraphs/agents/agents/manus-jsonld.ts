/**
 * schema.org products in JSON-LD: the `<script type="application/ld+json">` blocks of an HTML page (or
 * a JSON-LD document served as JSON), arrays and @graph included, read into FeedItems. A Product
 * brings its Offer (price, currency, condition, where it is); an Offer may bring its itemOffered
 * Product; an ItemList its ListItems' products. Nodes that only name an @id are looked up in the document.
 */
import { Parser } from "htmlparser2";
import { categoryPath } from "./manus-feed.ts";
import { absoluteUrl, asList, type FeedItem, isObject, type Json, type JsonObject, pick, plainText } from "./manus-item.ts";

/** The text of every JSON-LD script of a page, in document order. */
export function jsonLdBlocks(html: string): string[] {
  const blocks: string[] = [];
  let current: string | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const type = (attributes.type ?? "").split(";")[0]!.trim().toLowerCase();
        if (name === "script" && type === "application/ld+json") current = "";
      },
      ontext(data) {
        if (current !== undefined) current += data;
      },
      onclosetag(name) {
        if (name === "script" && current !== undefined) {
          blocks.push(current);
          current = undefined;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return blocks;
}

const MAX_DEPTH = 8;
const PRODUCT_TYPES = new Set(["product", "individualproduct", "productmodel", "someproducts", "vehicle", "car", "motorcycle", "book"]);
const ORGANIZATION_TYPES = new Set(["organization", "localbusiness", "store", "autodealer", "onlinestore", "person"]);

const typesOf = (node: JsonObject): string[] =>
  asList(node["@type"]).flatMap((t) => (typeof t === "string" ? [t.replace(/^(?:https?:\/\/)?schema\.org\//i, "").toLowerCase()] : []));
const isA = (node: JsonObject, types: ReadonlySet<string>) => typesOf(node).some((t) => types.has(t));

/** A JSON-LD document: its nodes by @id and the products it describes, with where each was found. */
class LdDocument {
  private readonly byId = new Map<string, JsonObject>();
  readonly nodes: { node: JsonObject; ref: string }[] = [];

  constructor(roots: { value: Json; ref: string }[]) {
    for (const root of roots) this.collect(root.value, root.ref);
  }

  private collect(value: Json, ref: string, depth = 0): void {
    // Real documents nest a @graph in an array at most; a partner's page must not exhaust the stack.
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(value)) return value.forEach((entry, i) => this.collect(entry, `${ref}[${i}]`, depth + 1));
    if (!isObject(value)) return;
    if (typeof value["@id"] === "string" && Object.keys(value).length > 1) this.byId.set(value["@id"], value);
    if (Array.isArray(value["@graph"])) this.collect(value["@graph"], `${ref}.@graph`, depth + 1);
    if (value["@type"] !== undefined) this.nodes.push({ node: value, ref });
  }

  /** A node, or the node its bare { "@id" } reference names. */
  resolve(value: unknown): JsonObject | undefined {
    if (!isObject(value)) return undefined;
    const id = value["@id"];
    if (typeof id === "string" && Object.keys(value).length === 1) return this.byId.get(id);
    return value;
  }

  /** Each product once: top-level Products, an Offer's itemOffered, an ItemList's items. */
  products(): { product: JsonObject; offer?: JsonObject; ref: string }[] {
    const found: { product: JsonObject; offer?: JsonObject; ref: string }[] = [];
    const seen = new Set<JsonObject>();
    const add = (product: JsonObject | undefined, ref: string, offer?: JsonObject) => {
      if (!product || !isA(product, PRODUCT_TYPES) || seen.has(product)) return;
      seen.add(product);
      found.push({ product, ref, ...(offer ? { offer } : {}) });
    };
    for (const { node, ref } of this.nodes) {
      const types = typesOf(node);
      if (isA(node, PRODUCT_TYPES)) add(node, ref);
      else if (types.includes("offer")) add(this.resolve(node.itemOffered), `${ref}.itemOffered`, node);
      else if (types.includes("itemlist")) {
        asList(node.itemListElement).forEach((element, i) => {
          const item = this.resolve(element);
          add(item && isA(item, PRODUCT_TYPES) ? item : this.resolve(item?.item), `${ref}.itemListElement[${i}]`);
        });
      }
    }
    return found;
  }

  /** The page's seller (Organization, LocalBusiness, …) address: where its products are when an offer does not say. */
  organizationAddress(): JsonObject | undefined {
    for (const { node } of this.nodes) {
      if (!isA(node, ORGANIZATION_TYPES)) continue;
      const address = this.resolve(asList(node.address)[0]);
      if (address) return address;
    }
    return undefined;
  }
}

export interface LdRead {
  items: FeedItem[];
  /** Blocks that were not JSON, by their position among the page's blocks. */
  invalidBlocks: number[];
}

/** The products of a page's JSON-LD blocks. */
export function readJsonLdBlocks(blocks: readonly string[], base: string): LdRead {
  const roots: { value: Json; ref: string }[] = [];
  const invalidBlocks: number[] = [];
  blocks.forEach((block, i) => {
    try {
      roots.push({ value: JSON.parse(block) as Json, ref: `ld+json[${i}]` });
    } catch {
      invalidBlocks.push(i);
    }
  });
  return { items: readJsonLd(roots, base), invalidBlocks };
}

/** JSON-LD values (parsed), e.g. one document served as application/ld+json. */
export function readJsonLd(roots: { value: Json; ref: string }[], base: string): FeedItem[] {
  const document = new LdDocument(roots);
  const fallbackAddress = document.organizationAddress();
  return document.products().map(({ product, offer, ref }) => readProduct(document, product, offer, ref, base, fallbackAddress));
}

/** True when a JSON document is JSON-LD rather than a plain feed. */
export function looksLikeJsonLd(value: Json): boolean {
  return asList(value).some((entry) => isObject(entry) && ("@context" in entry || "@graph" in entry || "@type" in entry));
}

function readProduct(document: LdDocument, product: JsonObject, given: JsonObject | undefined, ref: string, base: string, fallbackAddress: JsonObject | undefined): FeedItem {
  const offer = given ?? firstOffer(document, product.offers);
  const price = offer ? priceOf(document, offer) : undefined;
  const id = pick(product, ["sku", "productID", "mpn", "gtin13", "gtin", "@id", "url"]);
  const title = plainText(nameOf(pick(product, ["name", "alternateName"])));
  const description = plainText(pick(product, ["description"]));
  const condition = textOf(pick(offer ?? {}, ["itemCondition"]) ?? pick(product, ["itemCondition"]));
  return {
    ref,
    ...(typeof id === "string" || typeof id === "number" ? { id: String(id) } : {}),
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(price ? { price } : {}),
    category: categoryPath(asList(product.category).map((c) => nameOf(c))),
    location: placeOf(document, offer, fallbackAddress),
    ...(condition ? { condition } : {}),
    images: [...new Set(asList(product.image).map((image) => absoluteUrl(image, base)).filter((url): url is string => !!url))],
    attributes: attributesOf(document, product),
  };
}

/** An Offer of the product's offers: the first with a price (an AggregateOffer's lowPrice counts). */
function firstOffer(document: LdDocument, offers: unknown): JsonObject | undefined {
  const all = asList(offers).map((o) => document.resolve(o)).filter((o): o is JsonObject => !!o);
  return all.find((o) => priceOf(document, o) !== undefined) ?? all[0];
}

function priceOf(document: LdDocument, offer: JsonObject): FeedItem["price"] | undefined {
  const specification = asList(offer.priceSpecification).map((s) => document.resolve(s)).find((s) => s && pick(s, ["price"]) !== undefined);
  const amount = pick(offer, ["price", "lowPrice"]) ?? (specification && pick(specification, ["price", "minPrice"]));
  if (amount === undefined) {
    // An AggregateOffer listing its offers.
    const inner = asList(offer.offers).map((o) => document.resolve(o)).find((o) => o && pick(o, ["price"]) !== undefined);
    return inner ? priceOf(document, inner) : undefined;
  }
  const currency = pick(offer, ["priceCurrency"]) ?? (specification && pick(specification, ["priceCurrency"]));
  return { amount, ...(typeof currency === "string" ? { currency } : {}) };
}

/** Where the offer is: availableAtOrFrom's address, areaServed, the seller's address, else the page's organisation. */
function placeOf(document: LdDocument, offer: JsonObject | undefined, fallback: JsonObject | undefined): FeedItem["location"] {
  const candidates = [
    document.resolve(document.resolve(offer?.availableAtOrFrom)?.address),
    document.resolve(offer?.availableAtOrFrom),
    offer?.areaServed,
    document.resolve(document.resolve(offer?.seller)?.address),
    fallback,
  ];
  for (const candidate of candidates) {
    if (typeof candidate === "string" && candidate.trim()) return { text: candidate.trim() };
    const place = document.resolve(candidate);
    if (!place) continue;
    const address = document.resolve(place.address) ?? place;
    const city = plainText(nameOf(pick(address, ["addressLocality"])));
    const county = plainText(nameOf(pick(address, ["addressRegion"])));
    const text = plainText(typeof address.address === "string" ? address.address : nameOf(pick(place, ["name"])));
    if (city || county || text) return { ...(city ? { city } : {}), ...(county ? { county } : {}), ...(text && !city ? { text } : {}) };
  }
  return {};
}

/** additionalProperty (PropertyValue name/value), brand, model, and a vehicle's usual properties. */
function attributesOf(document: LdDocument, product: JsonObject): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const key of ["brand", "model", "color", "size", "fuelType", "vehicleModelDate", "productionDate", "mileageFromOdometer", "vehicleTransmission", "bodyType"]) {
    const value = document.resolve(product[key]) ?? product[key];
    const text = isObject(value) ? pick(value, ["name", "value"]) : value;
    if (text !== undefined && text !== null && !isObject(text)) found[key] = text;
  }
  for (const entry of asList(product.additionalProperty)) {
    const property = document.resolve(entry);
    const name = property && pick(property, ["name", "propertyID"]);
    const value = property && pick(property, ["value"]);
    if (typeof name === "string" && value !== undefined && !isObject(value)) found[name] = value;
  }
  return found;
}

function nameOf(value: unknown): unknown {
  return isObject(value) ? pick(value, ["name", "@id"]) : value;
}

function textOf(value: unknown): string | undefined {
  return plainText(nameOf(value));
}
