/**
 * A subgraph's subscriptions over graphql-ws (distributed mode), for the gateway or any federation
 * gateway that speaks graphql-ws to subgraphs (Hive Gateway). Only a caller with the gateway secret
 * is acknowledged (connection_init `{ gatewaySecret }`; anything else closes with 4403). The viewer
 * comes from the access token forwarded with each operation (`extensions.authorization`) or, for
 * gateways that forward it per connection, from connection_init's `authorization`: one gateway
 * connection then carries the subscriptions of many users.
 */
import type http from "node:http";
import { execute, parse, validate, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLError } from "graphql";
import type { Disposable } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { isGatewaySecret } from "./auth/subgraph-secret.ts";
import { bearerToken, type TokenService } from "./auth/tokens.ts";
import type { RequestContext } from "./context.ts";
import type { Config } from "./env.ts";
import { localizeError, maskError } from "./errors.ts";
import { requestIdFrom } from "./http/request-id.ts";
import { negotiateLocale } from "./i18n.ts";
import type { Logger } from "./logger.ts";
import type { Subgraph } from "./subgraph.ts";
import { subgraphEvents } from "./subgraph-events.ts";

type Params = Record<string, unknown> | undefined;

interface OperationContext {
  newContext(): RequestContext;
  locale: RequestContext["locale"];
}

export function serveSubgraphSubscriptions(
  server: http.Server,
  subgraph: Subgraph,
  deps: { config: Config; log: Logger; tokens: TokenService; gatewaySecret: string },
): Disposable {
  const { config, log, tokens } = deps;
  const sockets = new WebSocketServer({ server, path: "/graphql", maxPayload: config.SUBGRAPH_BODY_LIMIT_BYTES });
  const contextOf = (args: ExecutionArgs) => (args.contextValue as OperationContext).newContext;
  return useServer<Params>(
    {
      isProd: config.isProduction,
      connectionInitWaitTimeout: config.WS_CONNECTION_INIT_TIMEOUT_MS,
      onConnect: ({ connectionParams }) => isGatewaySecret(connectionParams?.gatewaySecret as string | undefined, deps.gatewaySecret),
      onSubscribe: async (ctx, _id, payload) => {
        // Per operation first (one gateway connection, many users), then per connection.
        const forwarded = { ...ctx.connectionParams, ...payload.extensions };
        const token = bearerToken(typeof forwarded.authorization === "string" ? forwarded.authorization : undefined);
        let viewer: RequestContext["viewer"] = null;
        try {
          viewer = token ? await tokens.verify(token) : null;
        } catch (error) {
          return [error as GraphQLError];
        }
        const requestId = requestIdFrom(forwarded.requestId as string | undefined);
        const base = {
          requestId,
          viewer,
          clientIp: forwarded.clientIp as string | undefined,
          userAgent: forwarded.userAgent as string | undefined,
          locale: negotiateLocale(forwarded.locale as string | undefined),
          log: log.child({ requestId, transport: "ws" }),
        };
        const context: OperationContext = { newContext: () => subgraph.createContext(base), locale: base.locale };
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        // Returning execution arguments skips graphql-ws's own validation: run it here.
        const invalid = validate(subgraph.schema, document);
        if (invalid.length) return invalid;
        return { schema: subgraph.schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue: context };
      },
      execute: (args) => execute({ ...args, contextValue: contextOf(args)() }),
      subscribe: async (args) => {
        const events = await subgraphEvents(subgraph, { document: args.document, variables: args.variableValues ?? undefined, operationName: args.operationName ?? undefined }, contextOf(args));
        if (!("next" in events)) return events.result;
        const results: AsyncIterableIterator<ExecutionResult> = {
          next: async () => {
            const event = await events.next();
            return event.done ? event : { done: false, value: event.value.result };
          },
          return: async () => {
            await events.return?.();
            return { done: true, value: undefined };
          },
          [Symbol.asyncIterator]: () => results,
        };
        return results as AsyncGenerator<ExecutionResult>;
      },
      onError: (_ctx, _id, payload, errors) => {
        const locale = negotiateLocale(typeof payload.extensions?.locale === "string" ? payload.extensions.locale : undefined);
        return errors.map((e) => localizeError(maskError(e.toJSON(), { production: config.isProduction }), locale));
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        if (!result.errors) return result;
        const { locale } = args.contextValue as OperationContext;
        return { ...result, errors: result.errors.map((e) => localizeError(maskError(e.toJSON(), { production: config.isProduction }), locale)) };
      },
    },
    sockets,
    config.WS_KEEPALIVE_MS,
  );
}
