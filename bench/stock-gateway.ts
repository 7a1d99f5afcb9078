/**
 * The peer row of `npm run bench:gateway`: a stock @apollo/gateway over the same subgraphs and the
 * same database, the way Apollo's documentation runs subgraphs in one process — ApolloServer +
 * startStandaloneServer, one LocalGraphQLDataSource per subgraph (it parses and validates every
 * fetch), no limits, no rate limiter, no auth, no metrics, no cache. The one adapter: each subgraph
 * gets its own per-request context (its DataLoaders), as it would behind its own server; Apollo's
 * class hands every subgraph the gateway's context object.
 *
 *   node --import tsx bench/stock-gateway.ts   (PORT, HOST, DATABASE_URL or DATA_DIR, JWT_SECRET from the environment)
 */
import { ApolloGateway, LocalGraphQLDataSource, type GraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { composeSupergraph } from "../gateway/compose.ts";
import type { RequestContext } from "../lib/context.ts";
import { disableVendorTelemetry } from "../lib/env.ts";
import type { Logger } from "../lib/logger.ts";
import { runProcess } from "../lib/process.ts";
import type { Subgraph } from "../lib/subgraph.ts";
import { openSubgraphs } from "./in-process-subgraphs.ts";

/** The load is anonymous: no auth, as a stock setup without our plugins would serve it. */
function anonymous(log: Logger): RequestContext {
  return { requestId: crypto.randomUUID(), viewer: null, locale: "ro", log };
}

/** Apollo's data source, with the subgraph's own context for each gateway request. */
function localSource(subgraph: Subgraph): GraphQLDataSource<RequestContext> {
  const local = new LocalGraphQLDataSource<RequestContext>(subgraph.schema);
  const contexts = new WeakMap<object, RequestContext>();
  return {
    process(options) {
      const base = options.context as RequestContext;
      let context = contexts.get(base);
      if (!context) contexts.set(base, (context = subgraph.createContext(base)));
      return local.process({ ...options, context });
    },
  };
}

await runProcess("stock gateway", async (config, log) => {
  const { subgraphs, graph, close } = await openSubgraphs(config, log);
  const byName = new Map(subgraphs.map((s) => [s.name, s]));
  disableVendorTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl: composeSupergraph(subgraphs),
    buildService: ({ name }) => localSource(byName.get(name)!),
  });
  // csrfPrevention off only so that the benchmark's readiness probe (GET /graphql?query={__typename}) gets a 200.
  const apollo = new ApolloServer<RequestContext>({ gateway, stopOnTerminationSignals: false, csrfPrevention: false });
  const { url } = await startStandaloneServer(apollo, {
    listen: { port: config.PORT, host: config.HOST },
    context: async () => anonymous(log),
  });
  graph.bind(async (query, variables) => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: anonymous(log) });
    if (response.body.kind !== "single") throw new Error("incremental answer");
    return response.body.singleResult;
  });
  console.log(`stock gateway ready at ${url}`);
  return {
    async stop() {
      await apollo.stop();
      await close();
    },
  };
});
