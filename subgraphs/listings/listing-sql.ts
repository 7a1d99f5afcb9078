/**
 * A page of listings read by one plain statement ($queryRaw) instead of Prisma's findMany (issue 11:
 * the gateway's own CPU per uncached browse). For the same statement, findMany's client side — its
 * arguments parameterised, its plan looked up and interpreted, every value mapped back — cost
 * ≈ 0.26 ms of CPU more per call than $queryRaw (2,000 sequential calls of the browse page's read,
 * 21 rows, PostgreSQL at 100,000 listings: 0.63 vs 0.36 ms). The rows are the same: $queryRaw types
 * each value from its column (tests/listing-sql.test.ts compares the two reads on both databases).
 *
 * The WHERE is translated from the Prisma input that filterWhere, activeListing.where and the keyset's
 * after() build, so those stay the one home of the rules: a column of COLUMN_TYPES compared by equality,
 * in, gt, gte, lt or lte, and AND / OR of those. Any other shape answers undefined and the caller reads
 * with findMany: a new filter is never answered wrongly here, it only costs the slower read until it is
 * translated.
 */
import { Prisma } from "../../prisma/generated/client.ts";
import type { ListingColumn, ListingSelect } from "./listing-columns.ts";
import { LIST_COLUMNS } from "./listing-row.ts";

/**
 * The SQL type of each column a WHERE may name. Parameters are cast to it: a driver may send a string
 * as text, which PostgreSQL will not compare with a uuid or an enum.
 */
const COLUMN_TYPES: Partial<Record<ListingColumn, string>> = {
  id: "uuid",
  sellerId: "uuid",
  categoryId: "int4",
  county: "text",
  city: "text",
  currency: `"Currency"`,
  priceAmount: "int4",
  priceRonBani: "int8",
  condition: `"ItemCondition"`,
  status: `"ListingStatus"`,
  publishedAt: "timestamptz",
  expiresAt: "timestamptz",
  createdAt: "timestamptz",
  updatedAt: "timestamptz",
};

const COMPARISONS: Record<string, string> = { equals: "=", gt: ">", gte: ">=", lt: "<", lte: "<=" };

type Value = string | number | bigint | boolean | Date;

function isValue(value: unknown): value is Value {
  const type = typeof value;
  return type === "string" || type === "number" || type === "bigint" || type === "boolean" || value instanceof Date;
}

/** `x."column"`: only names of COLUMN_TYPES or of the model's select reach here, never a client's text. */
const column = (name: string) => Prisma.raw(`x."${name}"`);

function columnConditions(name: string, type: string, condition: unknown): Prisma.Sql[] | undefined {
  const cast = Prisma.raw(`::${type}`);
  if (isValue(condition)) return [Prisma.sql`${column(name)} = ${condition}${cast}`];
  if (!condition || typeof condition !== "object" || Array.isArray(condition)) return undefined;
  const parts: Prisma.Sql[] = [];
  for (const [op, value] of Object.entries(condition)) {
    if (value === undefined) continue;
    if (op === "in") {
      if (!Array.isArray(value) || !value.every(isValue)) return undefined;
      parts.push(Prisma.sql`${column(name)} = ANY(${value}${Prisma.raw(`::${type}[]`)})`);
    } else {
      const operator = COMPARISONS[op];
      if (!operator || !isValue(value)) return undefined;
      parts.push(Prisma.sql`${column(name)} ${Prisma.raw(operator)} ${value}${cast}`);
    }
  }
  return parts;
}

/** The WHERE of a Prisma where input on Listing (alias x), or undefined when it has a shape not translated. */
export function listingWhereSql(where: unknown): Prisma.Sql | undefined {
  if (!where || typeof where !== "object" || Array.isArray(where)) return undefined;
  const parts: Prisma.Sql[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === "AND" || key === "OR") {
      const inner = (Array.isArray(value) ? value : [value]).map(listingWhereSql);
      // Prisma reads an empty list by rules of its own (an empty AND inside an OR matches nothing):
      // the where builders never make one, so it is left to findMany.
      if (!inner.length || inner.some((sql) => !sql)) return undefined;
      parts.push(Prisma.sql`(${Prisma.join(inner as Prisma.Sql[], key === "AND" ? " AND " : " OR ")})`);
      continue;
    }
    const type = COLUMN_TYPES[key as ListingColumn];
    const conditions = type ? columnConditions(key, type, value) : undefined;
    if (!conditions) return undefined;
    parts.push(...conditions);
  }
  return parts.length ? Prisma.join(parts, " AND ") : Prisma.raw("TRUE");
}

/** Each select's column list, made once (connectionNodeColumns hands out the same object per selection). */
const selectLists = new WeakMap<object, Prisma.Sql>();

function columnList(select: ListingSelect): Prisma.Sql {
  if (!select) return LIST_COLUMNS;
  let list = selectLists.get(select);
  if (!list) selectLists.set(select, (list = Prisma.raw(Object.keys(select).map((name) => `x."${name}"`).join(", "))));
  return list;
}

export interface PageArgs {
  where: unknown;
  orderBy: Record<string, "asc" | "desc">[];
  take: number;
}

/**
 * The statement of findMany({ where, orderBy, take, select }) (no select: every column but the
 * description, as LIST_OMIT), or undefined when the where or the order has a shape not translated.
 */
export function listingPageSql({ where, orderBy, take }: PageArgs, select: ListingSelect): Prisma.Sql | undefined {
  const condition = listingWhereSql(where);
  if (!condition || !Number.isInteger(take) || take < 0) return undefined;
  const order: string[] = [];
  for (const entry of orderBy) {
    const pairs = Object.entries(entry);
    if (pairs.length !== 1) return undefined;
    const [name, direction] = pairs[0]!;
    if (!COLUMN_TYPES[name as ListingColumn] || (direction !== "asc" && direction !== "desc")) return undefined;
    order.push(`x."${name}" ${direction === "asc" ? "ASC" : "DESC"}`);
  }
  const orderSql = order.length ? Prisma.raw(` ORDER BY ${order.join(", ")}`) : Prisma.empty;
  return Prisma.sql`SELECT ${columnList(select)} FROM "Listing" x WHERE ${condition}${orderSql} LIMIT ${take}`;
}
