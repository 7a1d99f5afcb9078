/**
 * When a listing is active: status ACTIVE and its expiry still ahead. The rule in every form a caller
 * needs — a test of a row, a Prisma where, a raw SQL condition — side by side, so browsing, counts,
 * views, favorites and the status readers see cannot drift apart.
 */
import { Prisma, type Listing } from "../../prisma/generated/client.ts";

type Status = Listing["status"];

const column = (alias: string | undefined, name: keyof Listing) => Prisma.raw(alias ? `${alias}."${name}"` : `"${name}"`);

export const activeListing = {
  is: (listing: Pick<Listing, "status" | "expiresAt">, now = new Date()): boolean =>
    listing.status === "ACTIVE" && listing.expiresAt !== null && listing.expiresAt > now,

  where: (now = new Date()): Prisma.ListingWhereInput => ({ status: "ACTIVE", expiresAt: { gt: now } }),

  /** For raw SQL (`alias` names the Listing table in the statement); `now()` is the database's clock. */
  sql: (alias?: string): Prisma.Sql => Prisma.sql`${column(alias, "status")} = 'ACTIVE' AND ${column(alias, "expiresAt")} > now()`,

  /** Still marked ACTIVE but past expiry: what the sweep moves to EXPIRED. */
  pastExpiryWhere: (now = new Date()): Prisma.ListingWhereInput => ({ status: "ACTIVE", expiresAt: { lte: now } }),
};

const DAY_MS = 86_400_000;

/** What publishing, renewing or approving a listing writes: ACTIVE from now for its lifetime. */
export function activeFromNow(ttlDays: number, now = new Date()): Prisma.ListingUpdateManyMutationInput {
  return { status: "ACTIVE", publishedAt: now, expiresAt: new Date(now.getTime() + ttlDays * DAY_MS) };
}

/** What a reader sees: an ACTIVE listing past its expiry is EXPIRED even before the sweep runs. */
export function effectiveStatus(listing: Pick<Listing, "status" | "expiresAt">, now = new Date()): Status {
  return listing.status === "ACTIVE" && !activeListing.is(listing, now) ? "EXPIRED" : listing.status;
}
