/**
 * The gateway's limits inside Apollo's request pipeline: every operation is checked (structure and
 * cost, gateway/limits) after validation and before the query planner; mutations spend a budget of
 * their own; and an answer whose request went over its budget (deadline, objects) becomes that one
 * clear error. RATE_LIMITED errors from anywhere (here, or a subgraph's sign-in limit) answer 429
 * with Retry-After.
 */
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from "@apollo/server";
import type { Limiter } from "../../lib/rate-limit.ts";
import type { GatewayContext } from "../context.ts";
import { createOperationLimits, type OperationLimits, type OperationLimitSettings } from "../limits/operation-limits.ts";

export function limitsPlugin(settings: OperationLimitSettings, mutations: Limiter): ApolloServerPlugin<GatewayContext> {
  let limits: OperationLimits | undefined;
  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
          if (coreSupergraphSdl) limits = createOperationLimits(apiSchema, coreSupergraphSdl, settings);
        },
      };
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, operation, request, contextValue }) {
          const refused = limits?.check(document, operationName ?? undefined, request.variables);
          if (refused) throw refused;
          if (operation?.operation === "mutation") await mutations.consume(contextValue.rateLimitKey);
        },
        async willSendResponse(requestContext) {
          overBudget(requestContext);
          rateLimitedStatus(requestContext);
        },
      };
    },
  };
}

function overBudget({ response, contextValue }: GraphQLRequestContextWillSendResponse<GatewayContext>): void {
  const exceeded = contextValue.budget?.exceeded;
  if (!exceeded || response.body.kind !== "single") return;
  // Partial data of an over-budget request is dropped: the client gets one clear reason instead.
  response.body.singleResult = { data: null, errors: [exceeded.toJSON()] };
}

function rateLimitedStatus({ response }: GraphQLRequestContextWillSendResponse<GatewayContext>): void {
  if (response.body.kind !== "single") return;
  const { data, errors } = response.body.singleResult;
  const limited = errors?.find((e) => e.extensions?.code === "RATE_LIMITED");
  if (!limited || data) return;
  response.http.status = 429;
  if (limited.extensions?.retryAfter) response.http.headers.set("retry-after", String(limited.extensions.retryAfter));
}
