/**
 * build(config) → { start, stop }: the whole public API. Composes the supergraph, runs Apollo Gateway
 * behind a plain node:http server (/graphql, /healthz, /readyz, the offline GraphiQL, /admin/agents, and the
 * photos' /uploads and /media/… from gateway/media), in one of two modes:
 *   embedded     every subgraph in this process, fetched through InProcessDataSource (default)
 *   distributed  subgraphs at SUBGRAPH_URLS, fetched over HTTP with a timeout
 */
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import { ApolloGateway, type ServiceMap } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLError } from "graphql";
import type { SessionRevocations } from "../lib/auth/revocations.ts";
import { GATEWAY_SECRET_HEADER, isGatewaySecret, subgraphSecret } from "../lib/auth/subgraph-secret.ts";
import { createTokenService, resolveJwtSecret } from "../lib/auth/tokens.ts";
import { openDatabase, type Database } from "../lib/db/database.ts";
import { LateGraphClient, type GraphExecutor } from "../lib/graph-client.ts";
import { withSqlStats, type SqlStats } from "../lib/db/sql-stats.ts";
import { disableVendorTelemetry, type Config } from "../lib/env.ts";
import { handleGraphQL, sendGraphQLError, sendJson } from "../lib/http/apollo-handler.ts";
import { negotiateLocale } from "../lib/i18n.ts";
import { OperationRecorder } from "../lib/observability/operation-recorder.ts";
import type { Logger } from "../lib/logger.ts";
import { ipKey, type LimiterFactory } from "../lib/rate-limit.ts";
import { openRedis, type Redis } from "../lib/redis.ts";
import { openSharedState, type SharedState } from "../lib/shared-state.ts";
import type { CachePurges } from "../lib/cache-purges.ts";
import { requestIdFrom } from "../lib/http/request-id.ts";
import type { GatewayContext } from "./context.ts";
import { namespaceOf, RedisAnswerStore } from "./cache/redis-store.ts";
import { ResponseCache } from "./cache/response-cache.ts";
import { createDirectExecution } from "./direct-execution.ts";
import { createEdge } from "./edge.ts";
import { RequestBudget } from "./limits/budget.ts";
import { createOperationLimits, type OperationLimitSettings } from "./limits/operation-limits.ts";
import { checkSources } from "./limits/source-limits.ts";
import { serveAdminPage } from "./admin/admin-page.ts";
import { createMediaRoutes, type MediaRoutes } from "./media/index.ts";
import { EXAMPLE_OPERATION, graphiqlHtml, serveGraphiqlAsset, wantsGraphiql } from "./graphiql.ts";
import { authFailurePlugin, createAuthenticator } from "./plugins/auth.ts";
import { errorLoggingPlugin, formatErrorFor } from "./plugins/errors.ts";
import { limitsPlugin } from "./plugins/limits.ts";
import { GatewayMetrics, metricsEndpoint } from "./plugins/metrics.ts";
import { operationRecorderPlugin } from "./plugins/operation-recorder.ts";
import { RequestObserver } from "./plugins/request-log.ts";
import { createPersistedOperations } from "./plugins/persisted-operations.ts";
import { SubscriptionExecutor } from "./subscriptions/events.ts";
import { SubscriptionPlans } from "./subscriptions/plans.ts";
import { serveSubscriptions } from "./subscriptions/socket-server.ts";
import { costSettings, distributed, embedded } from "./topology.ts";

export interface App {
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  db: Database;
  /** The deployment's revoked sessions (what this gateway refuses). */
  revocations: SessionRevocations;
  /** Photos: POST /uploads, GET /media/… (gateway/media). */
  media: MediaRoutes;
  /** What every cache of the deployment forgets (lib/cache-purges.ts); tests purge everything to compare cold reads. */
  purges: CachePurges;
}

const SHUTDOWN_GRACE_MS = 10_000;

export async function build(config: Config, log: Logger): Promise<App> {
  if (config.SUBGRAPH_URLS && !config.DATABASE_URL) {
    throw new Error("Distributed mode (SUBGRAPH_URLS) needs DATABASE_URL: the subgraph processes cannot share an embedded database.");
  }
  if (config.SUBGRAPH_URLS && !config.REDIS_URL) {
    throw new Error("Distributed mode (SUBGRAPH_URLS) needs REDIS_URL: revoked sessions and live events travel between the processes through it.");
  }
  const db = await openDatabase(config, log, {
    // Imported only when needed: the demo generator is not part of a normal start.
    initialize: config.DEMO_DATA
      ? async (prisma) => (await import("../prisma/seed/seed.ts")).seedDemoData(prisma, { log, eurRonRate: config.EUR_RON_RATE })
      : undefined,
  });
  const shared = await openSharedState(config, log).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  try {
    return await assemble(config, log, db, shared);
  } catch (error) {
    await shared.close();
    await db.close();
    throw error;
  }
}

async function assemble(config: Config, log: Logger, db: Database, shared: SharedState): Promise<App> {
  const jwtSecret = resolveJwtSecret(config);
  const tokens = createTokenService(jwtSecret, config.ACCESS_TOKEN_TTL_SECONDS);
  const gatewaySecret = subgraphSecret(config, jwtSecret);
  const graph = new LateGraphClient();
  const topology = config.SUBGRAPH_URLS
    ? distributed(config, config.SUBGRAPH_URLS, gatewaySecret)
    : await embedded({ config, db, log, tokens, limiters: shared.limiters, pubsub: shared.pubsub, graph, revocations: shared.revocations, purges: shared.purges });
  disableVendorTelemetry();
  const metrics = new GatewayMetrics(db);
  const recorder = config.OPERATION_RECORDER ? OperationRecorder.attach(db, log, { flushSeconds: config.OPERATION_RECORDER_FLUSH_SECONDS }) : undefined;
  const requests = new RequestObserver(log, metrics);
  const serveMetrics = metricsEndpoint(config, metrics);
  // The data sources the gateway builds, kept for subscriptions: their events' fetches go the same way.
  const services: ServiceMap = Object.create(null);
  const gateway = new ApolloGateway({
    supergraphSdl: topology.supergraphSdl,
    buildService: ({ name, url }) => (services[name] = metrics.timed(name, topology.buildService(name, url))),
  });
  const limiters = requestLimiters(config, shared.limiters);
  const persisted = createPersistedOperations(config);
  const plans = new SubscriptionPlans(topology.supergraphSdl);
  // The shared tier (distributed mode): a connection of its own, so a slow lookup never queues behind
  // the rate limiter's commands. Answers are shared by gateways serving the same supergraph from the
  // same database; a start begins a new epoch (redis-store.ts: nothing stored before it is served).
  let cacheRedis: Redis | undefined;
  let sharedAnswers: RedisAnswerStore | undefined;
  if (config.RESPONSE_CACHE_MAX_BYTES && config.RESPONSE_CACHE_SHARED === "redis" && config.REDIS_URL) {
    cacheRedis = await openRedis(config.REDIS_URL, log);
    const database = config.DATABASE_URL ?? `pglite:${os.hostname()}:${config.DATA_DIR}`;
    sharedAnswers = new RedisAnswerStore(cacheRedis, log, { namespace: namespaceOf(topology.supergraphSdl, database) });
    await sharedAnswers.clear();
  }
  const cache = config.RESPONSE_CACHE_MAX_BYTES
    ? new ResponseCache({
        maxBytes: config.RESPONSE_CACHE_MAX_BYTES,
        supergraphSdl: topology.supergraphSdl,
        apiSchema: plans.apiSchema,
        purges: shared.purges,
        shared: sharedAnswers,
        development: !config.isProduction,
      })
    : undefined;
  if (cache) metrics.watchResponseCache(cache);
  // Documents Apollo has already parsed, validated and resolved skip its HTTP layer (direct-execution.ts);
  // a refused token (its 401 rule) and a subgraph's own query keep Apollo's full path.
  const direct = createDirectExecution<GatewayContext>({ eligible: (context) => !context.authFailure && !context.internal });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.INTROSPECTION,
    // No "did you mean …" field suggestions in production: they would map the schema for a prober.
    hideSchemaDetailsFromClientErrors: config.isProduction,
    allowBatchedHttpRequests: config.BATCH_MAX_OPERATIONS > 0,
    persistedQueries: persisted.apollo,
    // lib/process.ts owns shutdown; Apollo's own handler would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !config.isProduction,
    formatError: formatErrorFor(config.isProduction),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // The response cache computes each answer's policy from the supergraph's hints (gateway/cache/).
      ApolloServerPluginCacheControlDisabled(),
      ...(cache ? [cache.plugin] : []),
      authFailurePlugin(),
      persisted.plugin,
      limitsPlugin(operationLimitSettings(config), limiters.mutations),
      errorLoggingPlugin(log, config.isProduction),
      requests.plugin,
      // SQL statements per operation only where the subgraphs run in this process (embedded).
      ...(recorder ? [operationRecorderPlugin(recorder, { countsSql: !config.SUBGRAPH_URLS })] : []),
      direct.plugin,
    ],
  });
  await apollo.start();
  direct.bind(apollo);
  graph.bind(internalExecutor(apollo, config, log));
  // Revocations are announced by the users subgraph (lib/auth/revocations.ts): no read of its tables here.
  const authenticate = createAuthenticator(tokens, (sessionId) => !shared.revocations.isRevoked(sessionId));
  const edge = createEdge(config);
  const media = createMediaRoutes({ config, log, db, pubsub: shared.pubsub, limiters: shared.limiters, authenticate, clientIp: (req) => edge.clientIp(req) });
  const sourceLimits = { maxDocumentBytes: config.MAX_DOCUMENT_BYTES, maxTokens: config.MAX_TOKENS, maxBatch: config.BATCH_MAX_OPERATIONS };

  const serveGraphQL = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    res.setHeader("x-request-id", requestId);
    const observed = requests.begin(res, requestId);
    const clientIp = edge.clientIp(req);
    const { viewer, token, failure } = await authenticate(req.headers.authorization);
    // A subgraph process asking the graph (distributed mode; lib/graph-client.ts) proves it with the secret.
    const internal = isGatewaySecret(req.headers[GATEWAY_SECRET_HEADER], gatewaySecret);
    const rateLimitKey = viewer ? `user:${viewer.userId}` : `ip:${ipKey(clientIp) ?? "unknown"}`;
    try {
      if (!internal) await limiters.requests.consume(rateLimitKey);
    } catch (error) {
      observed.refused(error as GraphQLError, viewer);
      return sendGraphQLError(res, error as GraphQLError);
    }
    const context: GatewayContext = {
      requestId,
      viewer,
      userAgent: req.headers["user-agent"],
      clientIp,
      locale: negotiateLocale(req.headers["accept-language"]),
      authorization: token,
      authFailure: failure,
      rateLimitKey,
      budget: new RequestBudget({ deadlineMs: config.EXECUTION_DEADLINE_MS, maxObjects: config.MAX_RESPONSE_OBJECTS }),
      log: log.child({ requestId }),
      internal,
    };
    observed.link(context);
    const serve = (stats?: SqlStats) =>
      handleGraphQL(apollo, req, res, {
        bodyLimit: config.BODY_LIMIT_BYTES,
        bodyTimeoutMs: config.BODY_TIMEOUT_SECONDS * 1000,
        inspect: (body) => observed.refused(checkSources(body, sourceLimits) ?? (internal ? undefined : persisted.check(body))),
        maxResponseBytes: config.MAX_RESPONSE_BYTES,
        context: async () => context,
        shortcut: cache
          ? (operation) => {
              const hit = cache.lookup(operation, req, context);
              // A local hit is answered synchronously; only a lookup in Redis is awaited.
              if (hit instanceof Promise) {
                return hit.then((found) => {
                  if (found) observed.cached(found.operationName);
                  return found?.answer;
                });
              }
              if (hit) observed.cached(hit.operationName);
              return hit?.answer;
            }
          : undefined,
        direct: (operation, url) => direct.run(operation, req, url, context),
        apolloAnswered: (response) => direct.learnContentType(req.headers.accept, response.headers.get("content-type"), response.status),
        answered: cache ? (text, status, contentType) => cache.answered(context, text, status, contentType) : undefined,
        extraHeaders: stats && config.EXPOSE_SQL_COUNT ? () => ({ "x-sql-statements": String(stats.statements) }) : undefined,
      });
    // Counting rides on AsyncLocalStorage, whose promise hooks cost every request some CPU: only
    // where the count is reported (never in production) or recorded per operation.
    await (config.EXPOSE_SQL_COUNT || (recorder && !config.SUBGRAPH_URLS) ? withSqlStats(serve) : serve());
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (await edge.prepare(req, res)) return;
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (url.pathname === "/metrics") return serveMetrics(req, res);
    if (url.pathname === "/readyz") {
      const ready = await db.ping().then(() => true, () => false);
      return sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "database unreachable" });
    }
    if (serveAdminPage(req, url.pathname, res)) return;
    if (!config.isProduction && serveGraphiqlAsset(url.pathname, res)) return;
    if (await media.handle(req, res, url)) return;
    if (url.pathname !== "/graphql") return sendJson(res, 404, { error: "Not found. The API is at /graphql." });
    if (!config.isProduction && wantsGraphiql(req)) {
      // The page carries its own script policy (a <meta> CSP); the header adds what a <meta> cannot.
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": "frame-ancestors 'none'" });
      return res.end(graphiqlHtml({ endpoint: "/graphql", defaultQuery: EXAMPLE_OPERATION, title: "piata-ai API" }));
    }
    await serveGraphQL(req, res);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, "unhandled request failure");
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      else res.destroy();
    });
  });
  // A whole request's time to arrive: an upload's (a photo over a slow mobile link takes minutes); a
  // GraphQL body has BODY_TIMEOUT_SECONDS (handleGraphQL), headers node's headersTimeout (60 s).
  server.requestTimeout = config.MEDIA_UPLOAD_TIMEOUT_SECONDS * 1000;
  const sockets = serveSubscriptions(server, {
    config,
    log,
    apollo,
    executor: new SubscriptionExecutor(plans, topology.events, () => services, { maxQueuedEvents: config.MAX_QUEUED_EVENTS }),
    apiSchema: plans.apiSchema,
    limits: createOperationLimits(plans.apiSchema, topology.supergraphSdl, operationLimitSettings(config)),
    sourceLimits,
    persistedCheck: (body) => persisted.check(body),
    requests: limiters.requests,
    authenticate,
    clientIp: (req) => edge.clientIp(req),
    rateLimitKey: (userId) => `user:${userId}`,
    formatError: formatErrorFor(config.isProduction),
    onRevoked: (listener) => shared.revocations.onRevoked(listener),
  });

  let stopping: Promise<void> | undefined;
  return {
    db,
    revocations: shared.revocations,
    purges: shared.purges,
    media,
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.PORT, config.HOST, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;
      return { port, url: `http://${host}:${port}/graphql` };
    },
    stop() {
      stopping ??= (async () => {
        // Stop accepting, let in-flight requests finish (bounded), then close what they used.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await sockets.close();
        await topology.events.close?.();
        const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        await closed;
        clearTimeout(grace);
        await apollo.stop();
        cache?.close();
        await cacheRedis?.quit().catch(() => cacheRedis?.disconnect());
        for (const subgraph of topology.subgraphs) await subgraph.stop?.();
        await recorder?.stop();
        await media.close();
        await shared.close();
        await db.close();
      })();
      return stopping;
    },
  };
}


/**
 * A subgraph's query of the graph (lib/graph-client.ts): an anonymous client's request, through the
 * same plan, limits and deadline as any other, but no rate limit: it is part of a request that spent one.
 */
function internalExecutor(apollo: ApolloServer<GatewayContext>, config: Config, log: Logger): GraphExecutor {
  return async (query, variables) => {
    const requestId = requestIdFrom(undefined);
    const contextValue: GatewayContext = {
      requestId,
      viewer: null,
      locale: "ro",
      rateLimitKey: "internal",
      internal: true,
      budget: new RequestBudget({ deadlineMs: config.EXECUTION_DEADLINE_MS, maxObjects: config.MAX_RESPONSE_OBJECTS }),
      log: log.child({ requestId, internal: true }),
    };
    const response = await apollo.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== "single") throw new Error("An internal graph query answered incrementally.");
    return response.body.singleResult;
  };
}

function operationLimitSettings(config: Config): OperationLimitSettings {
  return {
    maxDepth: config.MAX_DEPTH,
    maxAliases: config.MAX_ALIASES,
    maxDirectives: config.MAX_DIRECTIVES,
    maxRootFields: config.MAX_ROOT_FIELDS,
    maxCost: config.MAX_COST,
    ...costSettings(config),
  };
}

/** Every request spends from its user's (or, anonymous, its IP's) budget; mutations from a smaller one too. */
function requestLimiters(config: Config, limiters: LimiterFactory) {
  return {
    requests: limiters("requests", { points: config.RATE_LIMIT_REQUESTS_PER_MINUTE, windowSeconds: 60 }),
    mutations: limiters("mutations", {
      points: config.RATE_LIMIT_MUTATIONS_PER_MINUTE,
      windowSeconds: 60,
      message: "Prea multe modificări într-un minut.",
    }),
  };
}
