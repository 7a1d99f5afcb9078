/**
 * Cursor pagination (Relay connections) on a keyset: a cursor is the sort key of the row it points at,
 * so pages stay stable while rows are inserted or removed — no duplicates, no gaps.
 */
import { isObjectType, type GraphQLSchema } from "graphql";
import { badInput } from "../errors.ts";

export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Resolved only when the client selects it: counting is a query of its own. */
  totalCount: () => Promise<number>;
}

export function pageSize(first: number | null | undefined, fallback = 20): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput(`first trebuie să fie între 0 și ${MAX_PAGE_SIZE}.`, "first");
  }
  return size;
}

export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** Far above any key this API encodes (a timestamp or a bigint, and a UUID: under 100 characters). */
const MAX_CURSOR_LENGTH = 1024;

export function decodeCursor(cursor: string, arity: number): unknown[] {
  // A long cursor is refused before it is decoded and parsed: that work would be the client's to order.
  if (cursor.length > MAX_CURSOR_LENGTH) throw badInput("Cursor invalid.", "after");
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === arity) return key;
  } catch {
    // fall through: the same error for every malformed cursor
  }
  throw badInput("Cursor invalid.", "after");
}

/**
 * Builds a connection from up to `size + 1` rows fetched after the cursor: the extra row only tells
 * whether another page exists.
 */
export function toConnection<T>(
  rows: T[],
  size: number,
  keyOf: (row: T) => readonly unknown[],
  hasCursor: boolean,
  totalCount: () => Promise<number>,
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: hasCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/**
 * Gives every field of a connection type that has no resolver one that calls the connection's value
 * when it is a function: a count is a query of its own, so connections carry it lazily
 * (`totalCount`, search alerts' `unseenCount`). graphql-js calls a function-valued property by itself;
 * compiled execution (graphql-jit, see compiled-operations.ts) reads a field without a resolver as a
 * plain value. Connections only: a handful of fields a page, not one per row.
 */
export function resolveLazyConnectionFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !type.name.endsWith("Connection")) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.resolve) continue;
      const name = field.name;
      field.resolve = (connection: Record<string, unknown>) => {
        const value = connection[name];
        return typeof value === "function" ? (value as () => unknown).call(connection) : value;
      };
    }
  }
  return schema;
}
