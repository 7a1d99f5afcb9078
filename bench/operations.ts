/**
 * The operations the gateway benchmark sends (BROWSE, LISTING_PAGE), and their checks: an answer must
 * be 200 with data and without errors before any load is measured.
 */
import { GATEWAY_SECRET_HEADER, subgraphSecret } from "../lib/auth/subgraph-secret.ts";
import { Catalog } from "../subgraphs/listings/catalog/catalog.ts";
import { JWT_SECRET, post, type GraphQLReply } from "./harness.ts";

export const QUERY_NAMES = ["listing", "browse"] as const;
export type QueryName = (typeof QUERY_NAMES)[number];
/** "gateway": the public API; "direct": the listings subgraph alone, at its own URL. */
export type Target = "gateway" | "direct";

export const QUERIES: Record<QueryName, { gateway: string; direct: string; label: string }> = {
  listing: {
    label: "LISTING_PAGE",
    gateway: `query ($id: ID!) { listing(id: $id) { id title description price { amount currency formatted } location { county { name } city } category { id name path { name } } attributes { key label valueLabel unit } seller { id displayName memberSince listingCount } similar(first: 6) { id title price { formatted } } } }`,
    // What the listings subgraph answers alone: the seller reduced to its key.
    direct: `query ($id: ID!) { listing(id: $id) { id title description price { amount currency formatted } location { county { name } city } category { id name path { name } } attributes { key label valueLabel unit } seller { id } similar(first: 6) { id title price { formatted } } } }`,
  },
  browse: {
    label: "BROWSE",
    gateway: `{ listings(first: 20, filter: { categoryId: "1" }) { totalCount edges { cursor node { id title price { formatted } location { city } category { name } seller { id displayName } favoriteCount } } pageInfo { hasNextPage endCursor } } }`,
    direct: `{ listings(first: 20, filter: { categoryId: "1" }) { totalCount edges { cursor node { id title price { formatted } location { city } category { name } seller { id } favoriteCount } } pageInfo { hasNextPage endCursor } } }`,
  },
};

/**
 * A subgraph process answers only requests carrying the gateway's secret (lib/auth/subgraph-secret.ts):
 * derived from JWT_SECRET, the same the benchmark gives every process, as no SUBGRAPH_SECRET is set.
 */
export const DIRECT_HEADERS: Record<string, string> = { [GATEWAY_SECRET_HEADER]: subgraphSecret({}, JWT_SECRET) };

export function headersFor(kind: Target): Record<string, string> {
  return kind === "direct" ? DIRECT_HEADERS : {};
}

/** The listing of LISTING_PAGE: the newest active listing among cars, the same logical one in every data set. */
const CARS = new Catalog().getBySlug("autoturisme")!;
const PICK_LISTING = `{ listings(first: 1, sort: NEWEST, filter: { categoryId: "${CARS.id}" }) { edges { node { id status title } } } }`;

export function requestBody(query: QueryName, kind: Target, listingId: string): string {
  const q = QUERIES[query];
  return JSON.stringify(query === "listing" ? { query: q[kind], variables: { id: listingId } } : { query: q[kind] });
}

/** Fails loudly unless the operation answers 200 with data and without errors. */
export async function check(url: string, query: QueryName, kind: Target, listingId: string): Promise<GraphQLReply> {
  const reply = await post(url, requestBody(query, kind, listingId), headersFor(kind));
  const data = reply.json.data as { listing?: { id?: string } | null; listings?: { edges?: unknown[] } } | null | undefined;
  const problem =
    reply.status !== 200
      ? `status ${reply.status}`
      : reply.json.errors?.length
        ? "errors in the response"
        : !data
          ? "no data"
          : query === "listing" && data.listing?.id !== listingId
            ? `listing ${listingId} not returned`
            : query === "browse" && !data.listings?.edges?.length
              ? "no listings in category 1"
              : undefined;
  if (problem) {
    throw new Error(`${QUERIES[query].label} (${kind}) at ${url}: ${problem}:\n${JSON.stringify(reply.json, null, 2).slice(0, 3000)}`);
  }
  return reply;
}

export async function pickListing(url: string): Promise<string> {
  const reply = await post(url, JSON.stringify({ query: PICK_LISTING }));
  const edges = (reply.json.data as { listings?: { edges?: { node: { id: string; status: string } }[] } } | undefined)?.listings?.edges;
  const node = edges?.[0]?.node;
  if (reply.json.errors?.length || !node) throw new Error(`could not pick a listing at ${url}: ${JSON.stringify(reply.json).slice(0, 2000)}`);
  if (node.status !== "ACTIVE") throw new Error(`picked listing ${node.id} is ${node.status}, not ACTIVE`);
  return node.id;
}
