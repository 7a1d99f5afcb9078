import { DateTimeScalar } from "../../../lib/graphql/scalars.ts";
import type { SessionResolvers } from "../__generated__/resolvers.ts";
import { Listing } from "./listing.ts";
import { Mutation } from "./mutation.ts";
import { Query } from "./query.ts";
import { User } from "./user.ts";

const Session: SessionResolvers = {
  current: (session, _, { viewer }) => session.id === viewer?.sessionId,
};

export const resolvers = { DateTime: DateTimeScalar, Query, Mutation, User, Session, Listing };
