import type { RequestContext } from "../../lib/context.ts";
import type { SearchLoaders } from "./loaders.ts";
import type { SavedSearchService } from "./saved-searches.ts";
import type { SearchService } from "./search.service.ts";

export interface SearchContext extends RequestContext {
  search: SearchService;
  savedSearches: SavedSearchService;
  loaders: SearchLoaders;
}
