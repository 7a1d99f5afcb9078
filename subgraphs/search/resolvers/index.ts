import { DateTimeScalar, JSONScalar } from "../../../lib/graphql/scalars.ts";
import { Mutation } from "./mutation.ts";
import { Query } from "./query.ts";
import { SavedSearch, SearchAlert } from "./saved-search.ts";
import { SearchResults } from "./search-results.ts";
import { Subscription } from "./subscription.ts";

export const resolvers = { DateTime: DateTimeScalar, JSON: JSONScalar, Query, Mutation, Subscription, SearchResults, SavedSearch, SearchAlert };
