/**
 * What the moderator reads of a listing: its judged fields and how many other sellers have a live
 * listing of the same category with the same title and description (copied scam text). The runs the
 * runner starts together (a claimed batch) ask in the same turn, and their listings are read in one
 * statement: each run's own read and count were two statements, round trips and Prisma calls per run.
 */
import DataLoader from "dataloader";
import type { Sql } from "../runtime/sql.ts";

export interface ModeratedListing {
  id: string;
  version: number;
  sellerId: string;
  categoryId: number;
  title: string;
  description: string;
  priceRonBani: bigint;
  attributes: unknown;
  county: string;
  city: string;
  /** Other sellers with a live (ACTIVE or PENDING_REVIEW) listing of the same category and text. */
  sameTextSellers: number;
}

const loaders = new WeakMap<Sql, DataLoader<string, ModeratedListing | null>>();

/** The listing as the moderator judges it, or null when there is none with this id. */
export function moderatedListing(sql: Sql, id: string): Promise<ModeratedListing | null> {
  let loader = loaders.get(sql);
  if (!loader) {
    // No cache: a run must see the listing as it is now, not as a run before it saw it.
    const created = new DataLoader<string, ModeratedListing | null>((ids) => readListings(sql, ids), { cache: false });
    loaders.set(sql, created);
    loader = created;
  }
  return loader.load(id);
}

async function readListings(sql: Sql, ids: readonly string[]): Promise<(ModeratedListing | null)[]> {
  // priceRonBani (int8) as text: node-postgres reads an int8 as a string, Prisma as a bigint; BigInt() takes either.
  const rows = await sql<Omit<ModeratedListing, "sameTextSellers" | "priceRonBani"> & { priceRonBani: string; sameTextSellers: number }>(
    `
    SELECT l.id, l.version, l."sellerId", l."categoryId", l.title, l.description, l."priceRonBani"::text AS "priceRonBani", l.attributes, l.county, l.city,
      (SELECT count(DISTINCT o."sellerId")::int FROM "Listing" o
       WHERE o."categoryId" = l."categoryId" AND o.status IN ('ACTIVE', 'PENDING_REVIEW')
         AND o."sellerId" <> l."sellerId" AND o.id <> l.id
         AND lower(o.title) = lower(l.title) AND lower(o.description) = lower(l.description)) AS "sameTextSellers"
    FROM "Listing" l WHERE l.id = ANY($1::uuid[])`,
    [[...new Set(ids)]],
  );
  const byId = new Map(rows.map((row) => [row.id, { ...row, priceRonBani: BigInt(row.priceRonBani), sameTextSellers: Number(row.sameTextSellers) }]));
  return ids.map((id) => byId.get(id) ?? null);
}
