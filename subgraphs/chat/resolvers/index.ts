import { DateTimeScalar } from "../../../lib/graphql/scalars.ts";
import { Conversation } from "./conversation.ts";
import { Image } from "./image.ts";
import { Listing } from "./listing.ts";
import { Message } from "./message.ts";
import { BlockedUser, ConversationFlag, ConversationReport } from "./misc.ts";
import { Mutation } from "./mutation.ts";
import { Query } from "./query.ts";
import { Subscription } from "./subscription.ts";

export const resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Subscription,
  Conversation,
  Message,
  Image,
  Listing,
  BlockedUser,
  ConversationReport,
  ConversationFlag,
};
