/**
 * The columns a page of listings needs: only those the client's selection of `node` reads, instead of
 * every column of every row (a browse page asks for a third of them; Prisma's client spends its CPU
 * per value it maps, measured in the issue at 0.50 ms for full rows vs 0.19 ms for three columns).
 *
 * FIELD_COLUMNS names, for each Listing field, the columns its resolver (resolvers/listing.ts) reads
 * from the row. A field missing there reads the whole row (minus the description, as before): a new
 * field is never answered from a row that lacks its column, it only costs the full read until it is
 * listed. listing-columns.test.ts checks that every Listing field of the schema is either listed or
 * knowingly left to the full row.
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import type { Prisma } from "../../prisma/generated/client.ts";

export type ListingColumn = Exclude<keyof Prisma.ListingSelect & string, "_count">;
type Column = ListingColumn;

export const FIELD_COLUMNS: Record<string, readonly Column[]> = {
  __typename: [],
  id: [],
  title: ["title"],
  // Lists read rows without it; Listing.description loads it (batched) by id.
  description: [],
  price: ["priceAmount", "currency"],
  negotiable: ["negotiable"],
  condition: ["condition"],
  location: ["county", "city"],
  category: ["categoryId"],
  attributes: ["categoryId", "attributes"],
  attributeValues: ["attributes"],
  status: ["status", "expiresAt"],
  seller: ["sellerId"],
  isMine: ["sellerId"],
  createdAt: ["createdAt"],
  updatedAt: ["updatedAt"],
  publishedAt: ["publishedAt"],
  expiresAt: ["expiresAt"],
  soldAt: ["soldAt"],
  viewCount: ["viewCount"],
  version: ["version"],
  favoriteCount: ["favoriteCount"],
  isFavorite: [],
  reportCount: [],
  similar: ["categoryId"],
  images: [],
  coverImage: [],
  aiInsights: ["sellerId"],
};

/** A Prisma select of listing columns; undefined: the whole list row. */
export type ListingSelect = Record<Column, true> | undefined;

/**
 * Kept per connection field of a parsed operation (the same document, cached by compiled-operations.ts,
 * asks the same columns) and per set of `always` columns (a sort given in a variable changes them).
 */
const selects = new WeakMap<FieldNode, Map<string, { select: ListingSelect }>>();

/**
 * The columns the `edges { node { … } }` selection of a connection field (info of its resolver) needs,
 * plus `always` (the id and the sort column, which the cursors are made of); undefined when a selected
 * field is not in FIELD_COLUMNS.
 */
export function connectionNodeColumns(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">, always: readonly Column[]): ListingSelect {
  const first = info.fieldNodes[0];
  if (!first) return compute(info, always);
  let byAlways = selects.get(first);
  if (!byAlways) selects.set(first, (byAlways = new Map()));
  const key = always.join(",");
  let known = byAlways.get(key);
  if (!known) byAlways.set(key, (known = { select: compute(info, always) }));
  return known.select;
}

function compute(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">, always: readonly Column[]): ListingSelect {
  const columns = new Set<Column>(["id", ...always]);
  const edges = subfields(info.fieldNodes, "edges", info.fragments);
  const nodes = subfields(edges, "node", info.fragments);
  for (const field of subfields(nodes, undefined, info.fragments)) {
    const needs = FIELD_COLUMNS[field.name.value];
    if (!needs) return undefined;
    for (const column of needs) columns.add(column);
  }
  return Object.fromEntries([...columns].map((c) => [c, true])) as Record<Column, true>;
}

/** The fields named `name` (every field when undefined) in the selection sets of `fields`, fragments resolved. */
function subfields(fields: readonly FieldNode[], name: string | undefined, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const found: FieldNode[] = [];
  const walk = (set: SelectionSetNode | undefined, depth: number) => {
    if (!set || depth > 16) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (name === undefined || selection.name.value === name) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth + 1);
      } else {
        walk(fragments[selection.name.value]?.selectionSet, depth + 1);
      }
    }
  };
  for (const field of fields) walk(field.selectionSet, 0);
  return found;
}
