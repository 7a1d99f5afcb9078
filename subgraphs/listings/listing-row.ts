import { Prisma, type Listing } from "../../prisma/generated/client.ts";

/**
 * A listing as list queries fetch it: without its description, which may run to 9,000 characters and
 * which list pages seldom show. Listing.description loads it (batched) when a query asks for it.
 */
export type ListingRow = Omit<Listing, "description"> & { description?: string };

export const LIST_OMIT = { description: true } as const;

/** The same column list for raw SQL: every Listing column but the description. */
export const LIST_COLUMNS = Prisma.raw(
  Object.values(Prisma.ListingScalarFieldEnum)
    .filter((column) => column !== "description")
    .map((column) => `x."${column}"`)
    .join(", "),
);
