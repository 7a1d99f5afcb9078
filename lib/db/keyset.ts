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

/**
 * The codecs read a client's cursor: anything the encoder could not have written is refused before it
 * reaches the database, where an out-of-range value (year −200000, a 5,000-digit number) is an
 * internal error rather than a bad cursor. keysetOrder turns a throw into "Cursor invalid.".
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const dateKey = {
  encode: (value: Date | null) => value?.toISOString() ?? null,
  /** Exactly what toISOString wrote for a row's timestamp: years 1970 to 9999 (four digits, no sign). */
  decode: (value: unknown) => {
    if (typeof value !== "string" || !ISO_INSTANT.test(value)) throw new Error("invalid date");
    const date = new Date(value);
    if (Number.isNaN(date.getTime()) || date.getTime() < 0 || date.toISOString() !== value) throw new Error("invalid date");
    return date;
  },
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export const bigintKey = {
  encode: (value: bigint) => value.toString(),
  /** A PostgreSQL bigint: at most 19 digits, within the int64 range. */
  decode: (value: unknown) => {
    if (typeof value !== "string" || !/^-?\d{1,19}$/.test(value)) throw new Error("invalid integer");
    const number = BigInt(value);
    if (number < INT64_MIN || number > INT64_MAX) throw new Error("invalid integer");
    return number;
  },
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
