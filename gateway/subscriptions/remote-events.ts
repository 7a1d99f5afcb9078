/**
 * Distributed mode: a subscription's primary fetch goes to the owning subgraph over graphql-ws
 * (lib/subgraph-sockets.ts). One connection per subgraph carries every subscriber's operations; each
 * operation forwards its subscriber's token and request facts in `extensions`, as HTTP fetches do in
 * headers. The client reconnects and re-subscribes by itself after a dropped connection.
 */
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import type { GatewayContext } from "../context.ts";
import type { EventSource, PrimaryEvent } from "./events.ts";

export interface RemoteEvents extends EventSource {
  close(): Promise<void>;
}

export function remoteEvents(urls: Record<string, string>, gatewaySecret: string): RemoteEvents {
  const clients = new Map<string, Client>();
  const clientFor = (name: string) => {
    let client = clients.get(name);
    if (!client) {
      const url = urls[name];
      if (!url) throw new Error(`No URL for subgraph "${name}".`);
      client = createClient({
        url: url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams: { gatewaySecret },
        lazy: true,
        keepAlive: 10_000,
        retryAttempts: 10,
      });
      clients.set(name, client);
    }
    return client;
  };
  return {
    async subscribe(primary, variables, context) {
      const events = clientFor(primary.serviceName).iterate({
        query: primary.operation,
        variables,
        operationName: primary.operationName,
        extensions: forwarded(context),
      });
      return refusalsAsEvents(events as AsyncIterableIterator<PrimaryEvent>);
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.dispose()));
      clients.clear();
    },
  };
}

function forwarded(context: GatewayContext): Record<string, unknown> {
  return {
    ...(context.authorization ? { authorization: `Bearer ${context.authorization}` } : {}),
    requestId: context.requestId,
    locale: context.locale,
    clientIp: context.clientIp,
    userAgent: context.userAgent,
  };
}

/**
 * The subgraph's refusal of an operation (graphql-ws `error`) makes the client's iterator throw; the
 * subscriber gets it as one result with those errors, as in embedded mode, and the stream ends.
 */
function refusalsAsEvents(events: AsyncIterableIterator<PrimaryEvent>): AsyncIterator<PrimaryEvent> {
  let ended = false;
  return {
    async next() {
      if (ended) return { done: true, value: undefined };
      try {
        return await events.next();
      } catch (error) {
        ended = true;
        const errors = Array.isArray(error) ? error : [{ message: "Abonarea la serviciul care deține câmpul a eșuat.", extensions: { code: "INTERNAL_SERVER_ERROR" } }];
        return { done: false, value: { data: null, errors } };
      }
    },
    async return() {
      ended = true;
      await events.return?.();
      return { done: true, value: undefined };
    },
  };
}
