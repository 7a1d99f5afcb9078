/**
 * Serves one subgraph as its own process (distributed mode): Apollo Server on node:http executing
 * compiled operations (lib/graphql/compiled-operations.ts), the request's viewer rebuilt from the
 * forwarded access token, internal errors masked and logged with the request id; its subscriptions
 * over graphql-ws on the same port and path (subgraph-sockets.ts).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { print } from "graphql";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { GATEWAY_SECRET_HEADER, isGatewaySecret } from "./auth/subgraph-secret.ts";
import { bearerToken, type TokenService } from "./auth/tokens.ts";
import type { RequestContext } from "./context.ts";
import type { Config } from "./env.ts";
import { localizeError, maskError } from "./errors.ts";
import { compiledExecution } from "./graphql/compiled-operations.ts";
import { handleGraphQL, sendJson } from "./http/apollo-handler.ts";
import { negotiateLocale } from "./i18n.ts";
import { requestIdFrom } from "./http/request-id.ts";
import type { Logger } from "./logger.ts";
import type { Subgraph } from "./subgraph.ts";
import { serveSubgraphSubscriptions } from "./subgraph-sockets.ts";

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function serveSubgraph(
  subgraph: Subgraph,
  deps: { config: Config; log: Logger; tokens: TokenService; gatewaySecret: string; port: number; host?: string },
): Promise<RunningServer> {
  const { config, log, tokens } = deps;
  const server = new ApolloServer<RequestContext>({
    gateway: compiledExecution(subgraph.schema, print(subgraph.typeDefs)),
    // lib/process.ts owns shutdown; Apollo's own handler would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    // Inline traces (ftv1) feed Apollo Studio, which we do not use; building them costs CPU on every request.
    // Cache policies are the gateway's (gateway/cache/), computed from the supergraph: none per field here.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), executedAnswersOk(), inRequestLanguage()],
    includeStacktraceInErrorResponses: !config.isProduction,
    formatError: (formatted, error) => {
      const masked = maskError(formatted, { production: config.isProduction });
      if (masked !== formatted || !formatted.extensions?.code) log.error({ err: error }, "subgraph error");
      return masked;
    },
  });
  await server.start();
  const httpServer = http.createServer((req, res) => {
    if (req.url === "/healthz") return sendJson(res, 200, { status: "ok", subgraph: subgraph.name });
    if (!isGatewaySecret(req.headers[GATEWAY_SECRET_HEADER], deps.gatewaySecret)) {
      return sendJson(res, 401, { errors: [{ message: "Acest serviciu răspunde doar gateway-ului.", extensions: { code: "UNAUTHENTICATED" } }] });
    }
    handleGraphQL(server, req, res, {
      bodyLimit: config.SUBGRAPH_BODY_LIMIT_BYTES,
      context: async () => {
        const requestId = requestIdFrom(req.headers["x-request-id"]);
        const token = bearerToken(req.headers.authorization);
        const viewer = token ? await tokens.verify(token) : null;
        // The gateway forwards its client's User-Agent in x-client-user-agent (its own is fetch's).
        const userAgent = [req.headers["x-client-user-agent"]].flat()[0];
        const clientIp = [req.headers["x-client-ip"]].flat()[0];
        const locale = negotiateLocale(req.headers["accept-language"]);
        return subgraph.createContext({ requestId, viewer, userAgent, clientIp, locale, log: log.child({ requestId }) });
      },
    }).catch((error: unknown) => {
      log.error({ err: error }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal server error" }] });
    });
  });
  const sockets = serveSubgraphSubscriptions(httpServer, subgraph, deps);
  await new Promise<void>((resolve) => httpServer.listen(deps.port, deps.host ?? config.HOST, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeIdleConnections();
        void sockets.dispose();
      });
      await server.stop();
    },
  };
}

/**
 * An operation that ran answers 200 whatever its errors say: a typed error's http status (401 from
 * UNAUTHENTICATED, 429 from RATE_LIMITED) is for the gateway to set towards the client. A non-2xx
 * answer would make the gateway's RemoteGraphQLDataSource drop the GraphQL error and report the HTTP
 * failure instead (with this subgraph's URL in it).
 */
function executedAnswersOk(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind === "single" && response.body.singleResult.data !== undefined) response.http.status = 200;
        },
      };
    },
  };
}

/** Input errors in the language of the request (the gateway forwards its pick as Accept-Language). */
function inRequestLanguage(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single" || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => localizeError(e, contextValue.locale));
        },
      };
    },
  };
}
