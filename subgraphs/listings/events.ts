/**
 * The listings subgraph's live events on the deployment's pub/sub (lib/pubsub.ts): a seller's channel
 * carries the status changes of their own listings only, so a subscriber needs no filter. The payload
 * is the listing's id: the subscription reads the listing fresh, as its seller may see it.
 *
 * And what every gateway's response cache must forget when listings change (lib/cache-purges.ts).
 */
import { entityTag, purgedIds, purgesCollection, type CachePurges } from "../../lib/cache-purges.ts";
import type { Logger } from "../../lib/logger.ts";
import type { PubSub } from "../../lib/pubsub.ts";
import type { Listing } from "../../prisma/generated/client.ts";

const LISTINGS = "Listing";

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
    private readonly purges: CachePurges,
  ) {}

  /**
   * After a change commits: cached answers showing these listings are purged on every gateway; with
   * `collection`, so is every cached list, count and search of listings (they may have moved in or
   * out of it: published, edited, sold, deleted, expired). A favourite changes only the listing.
   */
  changed(listingIds: readonly string[], { collection }: { collection: boolean }): Promise<void> {
    return this.purges.publish({ entities: listingIds.map((id) => entityTag("Listing", id)), collections: collection ? [LISTINGS] : [] });
  }

  /** Called with the listings that changed, from this process or another; "all": any may have. */
  onListingsChanged(listener: (listingIds: string[] | "all") => void): () => void {
    return this.purges.listen((purge) => {
      const ids = purgedIds(purge, LISTINGS);
      if (ids.length) listener(ids);
    });
  }

  /** Called whenever lists of listings may have changed, from this process or another. */
  onCollectionChanged(listener: () => void): () => void {
    return this.purges.listen((purge) => {
      if (purgesCollection(purge, LISTINGS)) listener();
    });
  }

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
