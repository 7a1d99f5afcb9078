import { Query } from "./query.ts";
import { SearchResults } from "./search-results.ts";

export const resolvers = { Query, SearchResults };
