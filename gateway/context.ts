import type { GraphQLError } from "graphql";
import type { RequestContext } from "../lib/context.ts";
import type { RequestBudget } from "./limits/budget.ts";

/** The gateway's per-request context, handed to every subgraph fetch of the request. */
export interface GatewayContext extends RequestContext {
  /** The verified bearer token, forwarded to subgraphs served over HTTP. */
  authorization?: string;
  /** Set when a token was presented and refused; see plugins/auth.ts authFailurePlugin. */
  authFailure?: GraphQLError;
  /** Whose rate-limit budget this request spends: the user when signed in, else the client IP. */
  rateLimitKey: string;
  /** Deadline and object cap of this request (limits/budget.ts). */
  budget: RequestBudget;
  /**
   * A subgraph's own query of the graph (lib/graph-client.ts), part of a client request that already
   * spent its rate limit: not rate-limited again, and not held to the clients' persisted allow-list.
   */
  internal?: boolean;
}
