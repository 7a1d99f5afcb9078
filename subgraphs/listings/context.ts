import type { RequestContext } from "../../lib/context.ts";
import type { Catalog } from "./catalog/catalog.ts";
import type { ListingsService } from "./listings.service.ts";
import type { ListingsLoaders } from "./loaders.ts";

export interface ListingsContext extends RequestContext {
  loaders: ListingsLoaders;
  listings: ListingsService;
  catalog: Catalog;
}
