/**
 * Runs a subgraph fetch of the query plan inside this process: no HTTP hop, no JSON round trip.
 * Unlike @apollo/gateway's LocalGraphQLDataSource it parses and compiles each distinct subgraph
 * operation once (lib/graphql/compiled-operations.ts), builds the subgraph's own context (its
 * DataLoaders) once per incoming request, logs internal
 * errors with the request id, and gives input errors in the request's language. Timeouts and the
 * request's budget: limits/budgeted-data-source.ts.
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { ExecutionResult } from "graphql";
import type { RequestContext } from "../lib/context.ts";
import { isPublicError, localizeError } from "../lib/errors.ts";
import { CompiledOperations } from "../lib/graphql/compiled-operations.ts";
import type { Subgraph } from "../lib/subgraph.ts";
import type { GatewayContext } from "./context.ts";

export class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly operations: CompiledOperations;
  private readonly contexts = new WeakMap<object, RequestContext>();

  constructor(private readonly subgraph: Subgraph) {
    this.operations = new CompiledOperations(subgraph.schema);
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const context = this.contextFor(options.context as GatewayContext);
    const result = await this.operations.execute({
      query: request.query ?? "",
      variables: request.variables,
      operationName: request.operationName,
      contextValue: context,
    });
    return subgraphResponse(this.subgraph, result, context);
  }

  private contextFor(gatewayContext: GatewayContext): RequestContext {
    let context = this.contexts.get(gatewayContext);
    if (!context) {
      context = subgraphContext(this.subgraph, gatewayContext);
      this.contexts.set(gatewayContext, context);
    }
    return context;
  }
}

/** The subgraph's own context (its DataLoaders) for the gateway request or event it serves. */
export function subgraphContext(subgraph: Subgraph, gatewayContext: GatewayContext): RequestContext {
  const { requestId, viewer, userAgent, clientIp, locale, log } = gatewayContext;
  return subgraph.createContext({ requestId, viewer, userAgent, clientIp, locale, log });
}

/** A subgraph's result as a fetch's response: internal errors logged with the request id, all in the request's language. */
export function subgraphResponse(subgraph: Subgraph, result: ExecutionResult, context: RequestContext): GatewayGraphQLResponse {
  const errors = result.errors?.map((error) => {
    const formatted = error.toJSON();
    if (!isPublicError(formatted)) context.log.error({ err: error.originalError ?? error, subgraph: subgraph.name }, "subgraph error");
    return localizeError(formatted, context.locale);
  });
  return { data: result.data ?? null, ...(errors ? { errors } : {}) };
}
