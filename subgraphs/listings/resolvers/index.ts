import { DateTimeScalar, JSONScalar } from "../../../lib/graphql/scalars.ts";
import { Category } from "./category.ts";
import { Image } from "./image.ts";
import { Listing } from "./listing.ts";
import { ListingImport, ListingInsights, ListingModerationResult, ListingReport, Money, PriceInsight } from "./misc.ts";
import { Mutation } from "./mutation.ts";
import { Query } from "./query.ts";
import { Subscription } from "./subscription.ts";
import { User } from "./user.ts";

export const resolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Query,
  Mutation,
  Subscription,
  Listing,
  Category,
  Image,
  User,
  Money,
  ListingReport,
  ListingModerationResult,
  ListingInsights,
  PriceInsight,
  ListingImport,
};
