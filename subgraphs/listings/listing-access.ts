/**
 * Who may see a listing and who may change it. The service's reads and writes and the loaders that
 * resolve a listing by id all ask here, so a listing hidden from a viewer stays hidden however it is reached.
 */
import { isAdmin, type Viewer } from "../../lib/context.ts";
import type { Listing } from "../../prisma/generated/client.ts";

const PUBLIC_STATUSES: readonly Listing["status"][] = ["ACTIVE", "SOLD", "EXPIRED"];

export function isSeller(listing: Pick<Listing, "sellerId">, viewer: Viewer | null): boolean {
  return viewer?.userId === listing.sellerId;
}

/** Public statuses are for everyone; drafts and moderated listings also for their seller; deleted ones for admins only. */
export function canSee(listing: Pick<Listing, "status" | "sellerId">, viewer: Viewer | null): boolean {
  if (isAdmin(viewer)) return true;
  if (listing.status === "DELETED") return false;
  return PUBLIC_STATUSES.includes(listing.status) || isSeller(listing, viewer);
}

export function canEdit(listing: Pick<Listing, "sellerId">, viewer: Viewer): boolean {
  return isSeller(listing, viewer) || isAdmin(viewer);
}
