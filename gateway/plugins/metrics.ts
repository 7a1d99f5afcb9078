/**
 * Prometheus metrics of one gateway, served at GET /metrics: requests by operation and outcome,
 * latency by operation, errors by code, refusals by limit, subgraph fetch latency, SQL statements and
 * the PostgreSQL pool. Each App has a registry of its own (tests run several in one process); the
 * Node process's own figures (event-loop lag, GC, heap, CPU) belong to the process, so they are
 * collected once, in a registry shared by every App of the process.
 *
 * In production /metrics is off unless METRICS_TOKEN is set, and then asks for it as a bearer token:
 * operation names and error rates are not for everyone. Elsewhere it is open.
 */
import crypto from "node:crypto";
import type http from "node:http";
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../../lib/db/database.ts";
import type { Config } from "../../lib/env.ts";
import { sendJson } from "../../lib/http/apollo-handler.ts";
import { isReplica, shareMetrics } from "../../lib/replicas.ts";
import type { GatewayContext } from "../context.ts";

/** How a request ended, worst first: one value per request, so a handful of series per operation. */
export type Outcome = "server_error" | "refused" | "client_error" | "aborted" | "ok";

/**
 * Distinct operation names a gateway keeps as label values. Names are chosen by clients: past this,
 * new names count as "other", so a client inventing names cannot grow the series without bound.
 */
export const MAX_OPERATION_LABELS = 200;
const MAX_CODE_LABELS = 50;

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
const LABEL_VALUE = /^[\w.:-]{1,64}$/;

/** An operation name as logs and labels carry it: a GraphQL name, or "invalid" for anything else. */
export function operationName(name: string | null | undefined): string {
  if (!name) return "anonymous";
  return GRAPHQL_NAME.test(name) ? name : "invalid";
}

let processRegistry: Registry | undefined;

/** Event-loop lag, GC, heap, CPU, handles: one set per process, however many Apps it runs. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Label values from a set that should be small but is not ours to bound (names, codes). */
class BoundedLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  label(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return "other";
    this.seen.add(value);
    return value;
  }
}

const RESPONSE_CACHE_EVENTS = ["hits", "misses", "stored", "purged", "shared_hits", "redis_errors"] as const;
type ResponseCacheEvent = (typeof RESPONSE_CACHE_EVENTS)[number];

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operations = new BoundedLabels(MAX_OPERATION_LABELS);
  private readonly codes = new BoundedLabels(MAX_CODE_LABELS);
  private readonly requests = new Counter({
    name: "piata_graphql_requests_total",
    help: "GraphQL requests (each operation of a batch), by operation name and outcome.",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: "piata_graphql_request_duration_seconds",
    help: "Time from a request's arrival to its last byte, by operation name.",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly inFlight = new Gauge({
    name: "piata_graphql_requests_in_flight",
    help: "GraphQL requests being served.",
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: "piata_graphql_errors_total",
    help: "Errors in GraphQL answers, by extensions.code.",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: "piata_graphql_refusals_total",
    help: "Requests refused by a limit: the error code and which limit (QUERY_TOO_COMPLEX's extensions.limit, the rate limit, objects, deadline, body size).",
    labelNames: ["code", "limit"] as const,
    registers: [this.registry],
  });
  private readonly fetches = new Histogram({
    name: "piata_subgraph_fetch_duration_seconds",
    help: "Subgraph fetches of query plans, by subgraph and outcome (ok: answered; over_budget: stopped by the request's deadline or object cap; error: failed).",
    labelNames: ["subgraph", "outcome"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });

  constructor(db: Pick<Database, "stats">) {
    let reported = 0;
    new Counter({
      name: "piata_db_statements_total",
      help: "SQL statements sent through Prisma by this process (gateway and in-process subgraphs).",
      registers: [this.registry],
      collect() {
        const { statements } = db.stats();
        this.inc(statements - reported);
        reported = statements;
      },
    });
    if (db.stats().pool) {
      new Gauge({
        name: "piata_db_pool_connections",
        help: "PostgreSQL pool connections: total open, idle, and requests waiting for one.",
        labelNames: ["state"] as const,
        registers: [this.registry],
        collect() {
          const pool = db.stats().pool!;
          this.set({ state: "total" }, pool.total);
          this.set({ state: "idle" }, pool.idle);
          this.set({ state: "waiting" }, pool.waiting);
        },
      });
    }
  }

  /** The response cache's counts and size (gateway/cache/response-cache.ts), read at each scrape. */
  watchResponseCache(cache: { counts: Record<ResponseCacheEvent, number>; size: { entries: number; bytes: number } }): void {
    const reported = { hits: 0, misses: 0, stored: 0, purged: 0, shared_hits: 0, redis_errors: 0 };
    new Counter({
      name: "piata_response_cache_total",
      help: "Response cache: lookups that hit (either tier) or missed, hits from the shared tier (Redis), answers stored, entries purged, failed or slow Redis calls.",
      labelNames: ["event"] as const,
      registers: [this.registry],
      collect() {
        for (const event of RESPONSE_CACHE_EVENTS) {
          this.inc({ event }, cache.counts[event] - reported[event]);
          reported[event] = cache.counts[event];
        }
      },
    });
    new Gauge({
      name: "piata_response_cache_size",
      help: "Response cache: entries and bytes held.",
      labelNames: ["unit"] as const,
      registers: [this.registry],
      collect() {
        this.set({ unit: "entries" }, cache.size.entries);
        this.set({ unit: "bytes" }, cache.size.bytes);
      },
    });
  }

  requestStarted(): void {
    this.inFlight.inc();
  }

  requestEnded(): void {
    this.inFlight.dec();
  }

  /** One operation's end; `operation` is already operationName()'s form. */
  observeRequest(operation: string, outcome: Outcome, seconds: number): void {
    const label = this.operations.label(operation);
    this.requests.inc({ operation: label, outcome });
    this.duration.observe({ operation: label }, seconds);
  }

  observeError(code: string): void {
    this.errors.inc({ code: this.codes.label(LABEL_VALUE.test(code) ? code : "invalid") });
  }

  observeRefusal(code: string, limit: string): void {
    this.refusals.inc({ code: this.codes.label(code), limit: LABEL_VALUE.test(limit) ? limit : "other" });
  }

  /** The subgraph's data source, timed. */
  timed(subgraph: string, source: GraphQLDataSource<GatewayContext>): GraphQLDataSource<GatewayContext> {
    const fetches = this.fetches;
    return {
      async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
        const start = performance.now();
        try {
          const response = await source.process(options);
          fetches.observe({ subgraph, outcome: "ok" }, (performance.now() - start) / 1000);
          return response;
        } catch (error) {
          const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
          const outcome = code === "DEADLINE_EXCEEDED" || code === "RESPONSE_TOO_LARGE" ? "over_budget" : "error";
          fetches.observe({ subgraph, outcome }, (performance.now() - start) / 1000);
          throw error;
        }
      },
    };
  }

  async text(): Promise<string> {
    return (await processMetrics().metrics()) + (await this.registry.metrics());
  }
}

/** GET /metrics: 404 in production without METRICS_TOKEN, 401 without the right bearer token. */
export function metricsEndpoint(config: Pick<Config, "isProduction" | "METRICS_TOKEN">, metrics: GatewayMetrics) {
  // One of several gateway processes on a port (GATEWAY_PROCESSES): a scrape reaches any one of them,
  // so each answers with the sum of all.
  const text = isReplica() ? shareMetrics([processMetrics(), metrics.registry]) : () => metrics.text();
  const expected = config.METRICS_TOKEN ? digest(`Bearer ${config.METRICS_TOKEN}`) : undefined;
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (config.isProduction) {
      if (!expected) return sendJson(res, 404, { error: "Not found. The API is at /graphql." });
      // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
      if (!crypto.timingSafeEqual(digest(req.headers.authorization ?? ""), expected)) {
        return sendJson(res, 401, { error: "/metrics needs Authorization: Bearer <METRICS_TOKEN>." }, { "www-authenticate": 'Bearer realm="metrics"' });
      }
    }
    if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { error: "GET /metrics" }, { allow: "GET, HEAD" });
    const body = await text();
    res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}

function digest(value: string): Buffer {
  return crypto.createHash("sha256").update(value).digest();
}
