import type { RequestContext } from "../../lib/context.ts";
import type { MediaUrls } from "../../lib/media/media.ts";
import type { Catalog } from "./catalog/catalog.ts";
import type { ListingsService } from "./listings.service.ts";
import type { ListingEvents } from "./events.ts";
import type { ListingImportsService } from "./imports.ts";
import type { ListingsLoaders } from "./loaders.ts";
import type { ListingModerationService } from "./moderation.ts";

export interface ListingsContext extends RequestContext {
  loaders: ListingsLoaders;
  listings: ListingsService;
  catalog: Catalog;
  moderation: ListingModerationService;
  imports: ListingImportsService;
  events: ListingEvents;
  /** The URLs of its photos' variants. */
  media: MediaUrls;
}
