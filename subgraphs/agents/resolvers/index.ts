import { DateTimeScalar, JSONScalar } from "../../../lib/graphql/scalars.ts";
import { Agent, AgentRun, DatabaseHealthReport } from "./agent.ts";
import { Mutation } from "./mutation.ts";
import { Query } from "./query.ts";
import { Subscription } from "./subscription.ts";

export const resolvers = { DateTime: DateTimeScalar, JSON: JSONScalar, Query, Mutation, Subscription, Agent, AgentRun, DatabaseHealthReport };
