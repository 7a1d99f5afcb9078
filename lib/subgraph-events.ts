/**
 * A subgraph's subscription events, each executed with a context of its own. graphql-js's subscribe()
 * runs every event with the one context it was given, so a subgraph's DataLoaders would cache across
 * events (an unread count read an hour ago); here the source stream opens once with the subscriber's
 * context and each event runs with a fresh one. Used in process (gateway/subscriptions) and by a
 * subgraph serving graphql-ws on its own (lib/subgraph-server.ts).
 */
import { createSourceEventStream, execute, type DocumentNode, type ExecutionResult } from "graphql";
import type { RequestContext } from "./context.ts";
import type { Subgraph } from "./subgraph.ts";

export interface SubgraphOperation {
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

/** The events, or the subgraph's refusal (not signed in, not allowed) as one result. */
export async function subgraphEvents(
  subgraph: Subgraph,
  operation: SubgraphOperation,
  newContext: () => RequestContext,
): Promise<AsyncIterator<{ result: ExecutionResult; context: RequestContext }> | { result: ExecutionResult; context: RequestContext }> {
  const args = { schema: subgraph.schema, document: operation.document, variableValues: operation.variables, operationName: operation.operationName };
  const subscriber = newContext();
  const stream = await createSourceEventStream({ ...args, contextValue: subscriber });
  if (!(Symbol.asyncIterator in stream)) return { result: stream, context: subscriber };
  const events = stream[Symbol.asyncIterator]();
  return {
    async next() {
      const event = await events.next();
      if (event.done) return event;
      const context = newContext();
      return { done: false, value: { result: await execute({ ...args, rootValue: event.value, contextValue: context }), context } };
    },
    async return() {
      await events.return?.();
      return { done: true, value: undefined };
    },
  };
}
