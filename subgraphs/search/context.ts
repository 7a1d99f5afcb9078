import type { RequestContext } from "../../lib/context.ts";
import type { SearchService } from "./search.service.ts";

export interface SearchContext extends RequestContext {
  search: SearchService;
}
