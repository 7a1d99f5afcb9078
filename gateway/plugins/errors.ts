/**
 * Error hygiene at the gateway: internal errors (and subgraph names, stack traces) never reach a client
 * in production; every error is logged once with the request id so the masked message can be traced.
 * Public errors (a 401, a refused input) carry no stack trace in any mode: it would only be the
 * gateway's own frames. Every BAD_USER_INPUT leaves in one shape, extensions.fields (lib/errors.ts).
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import { isPublicError, maskError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { GatewayContext } from "../context.ts";

export function formatErrorFor(production: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => maskError(formatted, { production });
}

export function errorLoggingPlugin(log: Logger, production: boolean): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isPublicError(error.toJSON())) continue;
            (contextValue.log ?? log).error({ err: error.originalError ?? error, path: error.path }, "request error");
          }
        },
        async willSendResponse({ response, contextValue }) {
          // The masked message asks the user to quote the request id: put it on each internal error.
          if (!production || response.body.kind !== "single") return;
          const errors = response.body.singleResult.errors;
          if (!errors) return;
          response.body.singleResult.errors = errors.map((e) =>
            e.extensions?.code === "INTERNAL_SERVER_ERROR"
              ? { ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } }
              : e,
          );
        },
      };
    },
  };
}
