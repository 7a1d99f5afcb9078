/**
 * Feeds lib/observability's recorder: each executed operation's name (or its document's hash when it
 * has none), its time from Apollo's start to its answer, and the SQL statements it sent (counted when
 * the request runs under withSqlStats: in-process subgraphs only; in distributed mode each subgraph
 * process records its statements itself, subgraphs/serve.ts). Documents that fail to parse or
 * validate are not operations the API ran, and are not recorded.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { currentSqlStats } from "../../lib/db/sql-stats.ts";
import type { OperationRecorder } from "../../lib/observability/operation-recorder.ts";
import { anonymousOperation } from "../../lib/observability/sql-text.ts";
import type { GatewayContext } from "../context.ts";
import { operationName } from "./metrics.ts";

export function operationRecorderPlugin(recorder: OperationRecorder, options: { countsSql: boolean }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const start = performance.now();
      // Distributed: the subgraphs' statements are sent by other processes, so none would be counted here.
      const sql = options.countsSql ? currentSqlStats() : undefined;
      const before = sql?.statements ?? 0;
      return {
        async willSendResponse({ operation, operationName: name, queryHash }) {
          if (!operation) return;
          const key = name ? operationName(name) : anonymousOperation(queryHash ?? "unknown");
          recorder.operation(key, performance.now() - start, sql ? sql.statements - before : undefined);
        },
      };
    },
  };
}
