/**
 * The listings subgraph's live events on the deployment's pub/sub (lib/pubsub.ts): a seller's channel
 * carries the status changes of their own listings only, so a subscriber needs no filter. The payload
 * is the listing's id: the subscription reads the listing fresh, as its seller may see it.
 */
import type { Logger } from "../../lib/logger.ts";
import type { PubSub } from "../../lib/pubsub.ts";
import type { Listing } from "../../prisma/generated/client.ts";

export const channels = {
  sellerListingStatus: (sellerId: string) => `listings:seller:${sellerId}:status`,
};

export interface StatusEvent {
  listingId: string;
}

export class ListingEvents {
  constructor(
    private readonly pubsub: PubSub,
    private readonly log: Logger,
  ) {}

  /** After the change commits. A lost event must not fail the write that caused it. */
  async statusChanged(listing: Pick<Listing, "id" | "sellerId">): Promise<void> {
    const event: StatusEvent = { listingId: listing.id };
    await this.pubsub.publish(channels.sellerListingStatus(listing.sellerId), event).catch((error: unknown) => {
      this.log.error({ err: error, listingId: listing.id }, "listing status event not published");
    });
  }

  sellerStatusChanges(sellerId: string): AsyncIterableIterator<StatusEvent> {
    return this.pubsub.subscribe(channels.sellerListingStatus(sellerId));
  }
}
