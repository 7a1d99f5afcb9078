/**
 * Embedded mode: a subscription's primary fetch runs on the owning subgraph's schema in this process.
 * graphql-js's subscribe() would execute every event with the one context it was given, so each
 * subgraph's DataLoaders would cache across events (stale read counts an hour later); instead the
 * source event stream is opened once and each event is executed with a fresh subgraph context.
 */
import { createSourceEventStream, execute, type DocumentNode } from "graphql";
import type { Subgraph } from "../../lib/subgraph.ts";
import { parsedOperation, subgraphContext, subgraphResponse } from "../in-process-data-source.ts";
import type { EventSource, PrimaryEvent } from "./events.ts";

export function inProcessEvents(subgraphs: readonly Subgraph[]): EventSource {
  const byName = new Map(subgraphs.map((s) => [s.name, s]));
  const documents = new Map<string, DocumentNode>();
  return {
    async subscribe(primary, variables, context) {
      const subgraph = byName.get(primary.serviceName);
      if (!subgraph) throw new Error(`No subgraph "${primary.serviceName}" in this process.`);
      const document = parsedOperation(documents, primary.operation);
      const operation = { schema: subgraph.schema, document, variableValues: variables, operationName: primary.operationName };
      const subscriber = subgraphContext(subgraph, context);
      const stream = await createSourceEventStream({ ...operation, contextValue: subscriber });
      if (!(Symbol.asyncIterator in stream)) return subgraphResponse(subgraph, stream, subscriber);
      const events = stream[Symbol.asyncIterator]();
      const run = async (payload: unknown): Promise<PrimaryEvent> => {
        const eventContext = subgraphContext(subgraph, context);
        return subgraphResponse(subgraph, await execute({ ...operation, rootValue: payload, contextValue: eventContext }), eventContext);
      };
      return {
        next: async () => {
          const result = await events.next();
          return result.done ? result : { done: false, value: await run(result.value) };
        },
        return: async () => {
          await events.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
