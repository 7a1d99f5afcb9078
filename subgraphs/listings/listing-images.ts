/**
 * A listing's photos (issue 10): up to 12, in the seller's order, the first the cover. The uploads
 * themselves (variants, files, who sent them, whether they are served) are lib/media's; this subgraph
 * keeps which of them a listing shows and in what order, in its own ListingImage rows, and attaches
 * or detaches the uploads in the same transaction as those rows change.
 *
 * Counts and duplicates are checked here before any SQL, so a list of 1,000 ids (the gateway's cost
 * limits count what a query returns, not the length of an argument) costs nothing but this check.
 */
import { badInput } from "../../lib/errors.ts";
import type { AttachedImage } from "../../lib/media/media.ts";
import type { ListingImage, Prisma } from "../../prisma/generated/client.ts";

export const MAX_LISTING_IMAGES = 12;

/** What a listing's image rows are written from: an attached upload at a position. */
export function imageRows(listingId: string, images: readonly AttachedImage[], from: number): Prisma.ListingImageCreateManyInput[] {
  return images.map((image, i) => ({
    id: image.id,
    listingId,
    position: from + i,
    width: image.width,
    height: image.height,
    dominantColor: image.dominantColor,
  }));
}

/**
 * The ids to attach to a listing that has `existing` images: each once, at most MAX_LISTING_IMAGES in
 * all. BAD_USER_INPUT on `field` otherwise (nothing is attached).
 */
export function newImageIds(ids: readonly string[], existing: number, field = "imageIds"): string[] {
  if (existing + ids.length > MAX_LISTING_IMAGES) {
    const room = Math.max(0, MAX_LISTING_IMAGES - existing);
    throw badInput(
      {
        ro: `Un anunț are cel mult ${MAX_LISTING_IMAGES} fotografii${existing ? ` (are deja ${existing}; mai poți adăuga ${room})` : ""}.`,
        en: `A listing has at most ${MAX_LISTING_IMAGES} photos${existing ? ` (it has ${existing}; ${room} more can be added)` : ""}.`,
      },
      field,
      "OUT_OF_RANGE",
    );
  }
  refuseRepeats(ids, field);
  return [...ids];
}

/** The new order of a listing's images: each of `current` exactly once, else BAD_USER_INPUT (nothing moves). */
export function reordered(current: readonly ListingImage[], ids: readonly string[]): ListingImage[] {
  refuseRepeats(ids, "imageIds");
  const byId = new Map(current.map((image) => [image.id, image]));
  const order = ids.map((id) => byId.get(id));
  if (ids.length !== current.length || order.some((image) => image === undefined)) {
    throw badInput(
      {
        ro: `Dă fiecare fotografie a anunțului exact o dată (are ${current.length}), în ordinea dorită.`,
        en: `Give each of the listing's photos exactly once (it has ${current.length}), in the order wanted.`,
      },
      "imageIds",
      "INVALID",
    );
  }
  return order as ListingImage[];
}

export function imageNotOnListing(field = "imageId") {
  return badInput({ ro: "Anunțul nu are această fotografie.", en: "The listing has no such photo." }, field, "NOT_FOUND");
}

function refuseRepeats(ids: readonly string[], field: string): void {
  if (new Set(ids).size !== ids.length) {
    throw badInput({ ro: "O fotografie apare de două ori.", en: "A photo is given twice." }, field, "INVALID");
  }
}
