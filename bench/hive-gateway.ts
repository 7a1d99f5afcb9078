/**
 * Hive Gateway (@graphql-hive/gateway-runtime) over the subgraph processes: the off-the-shelf peer of
 * our distributed gateway in bench/gateway.ts (mode "hive"), set up as tests/hive-interop.test.ts
 * sets it up. The supergraph is what @apollo/composition writes from the same subgraph SDL (Hive takes
 * it as is, `for: SECURITY` links included); all it is told about us is the subgraphs' access rule,
 * the gateway secret in `x-gateway-secret` on every subgraph request (lib/auth/subgraph-secret.ts,
 * derived from JWT_SECRET as our gateway derives it), and the client's `authorization` forwarded.
 *
 * One default changed: Hive (@graphql-tools/executor-http) shares one subgraph request among identical
 * queries in flight at the same time (same URL, body and static headers), so under a load of one
 * repeated query most client requests cost the subgraphs nothing; measured at 2,000 listings, its
 * listings subgraph used 0.08 CPU ms per client request against 1.45 behind our gateway. Our gateway
 * sends every request, so `deduplicateInflightRequests: false` here, unless
 * HIVE_DEDUPLICATE_INFLIGHT=true (bench/gateway.ts's mode hive-dedupe: Hive as shipped).
 *
 * Hive's other defaults, kept (bench/gateway.ts's Method lists them): no response cache
 * (`responseCaching` unset: the same as our rows, RESPONSE_CACHE_MAX_BYTES=0); GraphQL Yoga's parse
 * and validation cache on (our gateway caches documents, query plans and their cost too); request ids
 * on (x-request-id, as ours); errors masked; no limits, rate limiter, auth or metrics; no inbound
 * request deduplication (`inboundInflightRequestDeduplication` unset: every request does its work);
 * subgraph requests over node:http (@whatwg-node/node-fetch; node-libcurl is not installed).
 * Logging at "warn" (LOG_LEVEL), like our processes in the benchmark.
 *
 *   node bench/hive-gateway.ts   (PORT, HOST, SUBGRAPH_URLS=name=url,…, JWT_SECRET or SUBGRAPH_SECRET, LOG_LEVEL,
 *                                 HIVE_DEDUPLICATE_INFLIGHT)
 */
import http from "node:http";
import { composeServices } from "@apollo/composition";
import { GATEWAY_SECRET_HEADER, subgraphSecret } from "../lib/auth/subgraph-secret.ts";
import { isSubgraphName, SUBGRAPHS } from "../subgraphs/index.ts";
import { createGatewayRuntime } from "../tests/utils/hive-runtime.ts";

const urls = (process.env.SUBGRAPH_URLS ?? "").split(",").filter(Boolean);
if (!urls.length) throw new Error("SUBGRAPH_URLS=name=url,… is required");
const secret = subgraphSecret({ SUBGRAPH_SECRET: process.env.SUBGRAPH_SECRET }, process.env.JWT_SECRET ?? "");
const services = urls.map((entry) => {
  const at = entry.indexOf("=");
  const name = entry.slice(0, at);
  if (!isSubgraphName(name)) throw new Error(`unknown subgraph ${name}`);
  return { name, typeDefs: SUBGRAPHS[name].typeDefs, url: entry.slice(at + 1) };
});
const composed = composeServices(services);
if (composed.errors) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join("; ")}`);

const level = process.env.LOG_LEVEL;
const hive = createGatewayRuntime({
  supergraph: composed.supergraphSdl,
  logging: level === "debug" || level === "info" || level === "warn" || level === "error" ? level : "warn",
  transportEntries: {
    "*": { headers: [[GATEWAY_SECRET_HEADER, secret]], options: { deduplicateInflightRequests: process.env.HIVE_DEDUPLICATE_INFLIGHT === "true" } },
  },
  propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get("authorization") }) },
});

const server = http.createServer(hive);
const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "127.0.0.1";
await new Promise<void>((resolve) => server.listen(port, host, resolve));
console.log(`hive gateway ready at http://${host}:${port}/graphql`);

// The harness stops its servers with SIGTERM and waits for the exit.
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close();
  void hive.dispose().finally(() => process.exit(0));
});
