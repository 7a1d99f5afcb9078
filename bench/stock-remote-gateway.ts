/**
 * A stock @apollo/gateway over subgraph processes, the way Apollo's documentation runs a gateway:
 * a supergraph, RemoteGraphQLDataSource for each subgraph URL, ApolloServer + startStandaloneServer;
 * no limits, rate limiter, auth, metrics or cache. The supergraph is the one our gateway composes
 * (gateway/compose.ts: the same SDL, security directives kept as metadata, which @apollo/gateway
 * otherwise refuses); the one addition: the gateway's secret header on every subgraph request (a
 * subgraph process answers only those).
 * The peer of bench/gateway-own-cpu.ts: in distributed mode a gateway only plans, fetches and merges,
 * so its process's CPU is the gateway's own.
 *
 *   node --import tsx bench/stock-remote-gateway.ts   (PORT, HOST, SUBGRAPH_URLS=name=url,…, JWT_SECRET)
 */
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { composeSupergraph } from "../gateway/compose.ts";
import { GATEWAY_SECRET_HEADER, subgraphSecret } from "../lib/auth/subgraph-secret.ts";
import { isSubgraphName, SUBGRAPHS } from "../subgraphs/index.ts";

const urls = (process.env.SUBGRAPH_URLS ?? "").split(",").filter(Boolean);
if (!urls.length) throw new Error("SUBGRAPH_URLS=name=url,… is required");
const secret = subgraphSecret({ SUBGRAPH_SECRET: process.env.SUBGRAPH_SECRET }, process.env.JWT_SECRET ?? "");
const subgraphs = urls.map((entry) => {
  const at = entry.indexOf("=");
  const name = entry.slice(0, at);
  if (!isSubgraphName(name)) throw new Error(`unknown subgraph ${name}`);
  return { name, typeDefs: SUBGRAPHS[name].typeDefs, url: entry.slice(at + 1) };
});

const gateway = new ApolloGateway({
  supergraphSdl: composeSupergraph(subgraphs),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request }) {
        request.http?.headers.set(GATEWAY_SECRET_HEADER, secret);
      },
    }),
});
// csrfPrevention off only so that a readiness probe by GET gets a 200.
const apollo = new ApolloServer({ gateway, csrfPrevention: false });
const { url } = await startStandaloneServer(apollo, { listen: { port: Number(process.env.PORT ?? 4000), host: process.env.HOST ?? "127.0.0.1" } });
console.log(`stock remote gateway ready at ${url}`);
