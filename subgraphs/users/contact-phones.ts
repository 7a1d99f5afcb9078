/**
 * A seller's phone number on their listings (Listing.contactPhone). Shown to signed-in users only,
 * for one listing per request: never in a list, where a page of 100 listings would be a phone book
 * for a scraper. Every reveal to someone other than the seller is counted (the seller reads how many)
 * and spends the viewer's hourly budget.
 */
import { isAdmin, type Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { forbidden } from "../../lib/errors.ts";
import type { Limiter } from "../../lib/rate-limit.ts";
import type { User } from "../../prisma/generated/client.ts";

/** A Listing reference with the seller the listings subgraph names (@requires). */
export interface ListingContact {
  id: string;
  seller: { id: string };
}

export interface RevealReader {
  viewer: Viewer | null;
  /** Phone numbers revealed in this request so far (one allowed). */
  revealsInRequest: { count: number };
}

export class ContactPhones {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly budget: Limiter,
  ) {}

  async reveal(reader: RevealReader, listing: ListingContact, seller: User | null): Promise<string | null> {
    const viewer = reader.viewer!; // @authenticated
    if (++reader.revealsInRequest.count > 1) {
      throw forbidden("Numărul de telefon se arată pentru un singur anunț pe cerere: cere-l pe pagina anunțului.");
    }
    if (!seller?.showPhone || !seller.phone) return null;
    if (seller.id === viewer.userId) return seller.phone;
    await this.budget.consume(`user:${viewer.userId}`);
    await this.prisma.phoneReveal.create({ data: { listingId: listing.id, sellerId: seller.id, viewerId: viewer.userId } });
    return seller.phone;
  }

  async revealCount(viewer: Viewer | null, listing: ListingContact): Promise<number | null> {
    if (viewer?.userId !== listing.seller.id && !isAdmin(viewer)) return null;
    return this.prisma.phoneReveal.count({ where: { listingId: listing.id } });
  }
}
