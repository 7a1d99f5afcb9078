/** Embedded mode: a subscription's primary fetch runs on the owning subgraph's schema in this process. */
import { CompiledOperations } from "../../lib/graphql/compiled-operations.ts";
import type { Subgraph } from "../../lib/subgraph.ts";
import { subgraphEvents } from "../../lib/subgraph-events.ts";
import { subgraphContext, subgraphResponse } from "../in-process-data-source.ts";
import type { EventSource, PrimaryEvent } from "./events.ts";

export function inProcessEvents(subgraphs: readonly Subgraph[]): EventSource {
  const byName = new Map(subgraphs.map((s) => [s.name, s]));
  const documents = new Map(subgraphs.map((s) => [s.name, new CompiledOperations(s.schema)]));
  return {
    async subscribe(primary, variables, context) {
      const subgraph = byName.get(primary.serviceName);
      if (!subgraph) throw new Error(`No subgraph "${primary.serviceName}" in this process.`);
      const operation = { document: documents.get(subgraph.name)!.document(primary.operation), variables, operationName: primary.operationName };
      const events = await subgraphEvents(subgraph, operation, () => subgraphContext(subgraph, context));
      if (!("next" in events)) return subgraphResponse(subgraph, events.result, events.context);
      return {
        async next(): Promise<IteratorResult<PrimaryEvent>> {
          const event = await events.next();
          return event.done ? event : { done: false, value: subgraphResponse(subgraph, event.value.result, event.value.context) };
        },
        return: async () => {
          await events.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
