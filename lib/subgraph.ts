/**
 * What a subgraph is, to the rest of the system: its SDL, an executable schema and a per-request
 * context factory. The gateway runs it in-process; lib/subgraph-server.ts serves it over HTTP.
 */
import fs from "node:fs";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse, type DocumentNode, type GraphQLSchema } from "graphql";
import type { TokenService } from "./auth/tokens.ts";
import type { RequestContext } from "./context.ts";
import type { Database } from "./db/database.ts";
import type { Config } from "./env.ts";
import { applyAuthorization } from "./graphql/authorization.ts";
import { resolveLazyConnectionFields } from "./graphql/pagination.ts";
import type { Logger } from "./logger.ts";
import type { SessionRevocations } from "./auth/revocations.ts";
import type { CachePurges } from "./cache-purges.ts";
import type { GraphClient } from "./graph-client.ts";
import type { PubSub } from "./pubsub.ts";
import type { LimiterFactory } from "./rate-limit.ts";

export interface SubgraphDeps {
  config: Config;
  db: Database;
  log: Logger;
  tokens: TokenService;
  /** Rate limiters on the deployment's shared store (lib/shared-state.ts). */
  limiters: LimiterFactory;
  /** Events between processes: a subgraph publishes what its subscriptions and other processes follow. */
  pubsub: PubSub;
  /** The public graph, for facts another subgraph owns (lib/graph-client.ts). */
  graph: GraphClient;
  /** Where revoked sessions are announced to every gateway (lib/auth/revocations.ts). */
  revocations: SessionRevocations;
  /** Where changed data is announced to every gateway's response cache (lib/cache-purges.ts). */
  purges: CachePurges;
}

export interface Subgraph {
  name: string;
  typeDefs: DocumentNode;
  schema: GraphQLSchema;
  /** Called once per request: fresh DataLoaders each time, so no data leaks between requests. */
  createContext(base: RequestContext): RequestContext;
  /** Runs before the subgraph serves: reference data, background timers and workers it owns. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/**
 * Without locations: a parsed document with them keeps every token of the file alive (a linked list
 * from each node's loc), 1.7 MB of heap for the five subgraphs' SDL instead of 0.5 MB, held for the
 * process's life by the schemas built from it. Nothing reads them: composition reports errors by name.
 */
export function loadTypeDefs(schemaFileUrl: URL): DocumentNode {
  return parse(fs.readFileSync(schemaFileUrl, "utf8"), { noLocation: true });
}

/** The resolver map type of @apollo/subgraph, which its package root does not export by name. */
type ResolverMap = Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: DocumentNode }>["resolvers"];

export function buildSchema(typeDefs: DocumentNode, resolvers: object): GraphQLSchema {
  return applyAuthorization(resolveLazyConnectionFields(buildSubgraphSchema({ typeDefs, resolvers: resolvers as ResolverMap })));
}
