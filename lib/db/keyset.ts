/**
 * Keyset pagination over Prisma models: order by one column then a unique id column, and turn a
 * cursor (that pair, see lib/graphql/pagination.ts) into the WHERE that starts the next page.
 */
import { badInput } from "../errors.ts";
import { isUuid } from "../ids.ts";
import { decodeCursor, pageSize, toConnection, type Connection, type PageArgs } from "../graphql/pagination.ts";

type Direction = "asc" | "desc";

export interface KeysetOrder<Row> {
  orderBy: Record<string, Direction>[];
  key(row: Row): unknown[];
  /** The WHERE clause selecting rows strictly after the cursor's row. */
  after(cursor: unknown[]): Record<string, unknown>;
}

export const dateKey = {
  encode: (value: Date | null) => value?.toISOString() ?? null,
  decode: (value: unknown) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new Error("invalid date");
    return date;
  },
};

export const bigintKey = {
  encode: (value: bigint) => value.toString(),
  decode: (value: unknown) => BigInt(String(value)),
};

export function keysetOrder<Row, Value>(
  column: string,
  direction: Direction,
  read: (row: Row) => Value,
  codec: { encode(value: Value): unknown; decode(value: unknown): unknown },
  idColumn = "id",
): KeysetOrder<Row> {
  const op = direction === "desc" ? "lt" : "gt";
  return {
    orderBy: [{ [column]: direction }, { [idColumn]: direction }],
    key: (row) => [codec.encode(read(row)), (row as Record<string, unknown>)[idColumn]],
    after([value, id]) {
      let decoded: unknown;
      try {
        decoded = codec.decode(value);
      } catch {
        throw badInput("Cursor invalid.", "after");
      }
      if (typeof id !== "string" || !isUuid(id)) throw badInput("Cursor invalid.", "after");
      return { OR: [{ [column]: { [op]: decoded } }, { [column]: decoded, [idColumn]: { [op]: id } }] };
    },
  };
}

/**
 * One page of a model: fetches size + 1 rows after the cursor (the extra one tells whether a next page
 * exists); totalCount runs only if the client asks for it.
 */
export async function keysetPage<Row, Where extends object>(
  order: KeysetOrder<Row>,
  where: Where,
  page: PageArgs,
  query: {
    findMany(args: { where: Where; orderBy: KeysetOrder<Row>["orderBy"]; take: number }): Promise<Row[]>;
    count(args: { where: Where }): Promise<number>;
  },
): Promise<Connection<Row>> {
  const size = pageSize(page.first);
  const cursor = page.after ? decodeCursor(page.after, 2) : undefined;
  const pageWhere = (cursor ? { AND: [where, order.after(cursor)] } : where) as Where;
  const rows = await query.findMany({ where: pageWhere, orderBy: order.orderBy, take: size + 1 });
  return toConnection(rows, size, order.key, !!cursor, () => query.count({ where }));
}
