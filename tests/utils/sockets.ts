/**
 * WebSocket clients for stack tests: graphql-ws's own client (what apps use), and a raw socket that
 * speaks the protocol message by message, for its close codes.
 */
import { createClient, type Client, type FormattedExecutionResult as ExecutionResult } from "graphql-ws";
import WebSocket from "ws";

export const GRAPHQL_WS = "graphql-transport-ws";

export function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, "ws");
}

/** A graphql-ws client; `token` goes in connection_init's payload. Retries off: a refusal must show. */
export function socketClient(httpUrl: string, token?: string): Client {
  return createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** A query or mutation over the socket: its one result. */
export function socketRequest<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<ExecutionResult<T, unknown>> {
  return new Promise((resolve, reject) => {
    let result: ExecutionResult<T, unknown> | undefined;
    client.subscribe<T>({ query, variables }, { next: (r) => (result = r), error: reject, complete: () => resolve(result!) });
  });
}

/** A subscription's events, pulled one at a time; `close()` completes it. */
export interface Events<T> {
  next(timeoutMs?: number): Promise<ExecutionResult<T, unknown>>;
  /** Resolves with the error (close event or GraphQL errors) the subscription ended with. */
  ended: Promise<unknown>;
  close(): void;
}

export function subscribeTo<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Events<T> {
  const queue: ExecutionResult<T, unknown>[] = [];
  const waiting: ((r: ExecutionResult<T, unknown>) => void)[] = [];
  let end!: (reason: unknown) => void;
  const ended = new Promise<unknown>((resolve) => (end = resolve));
  const close = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => (waiting.length ? waiting.shift()!(r) : queue.push(r)),
      error: (e) => end(e),
      complete: () => end("complete"),
    },
  );
  return {
    ended,
    close,
    next(timeoutMs = 5000) {
      if (queue.length) return Promise.resolve(queue.shift()!);
      return new Promise((resolve, reject) => {
        const waiter = (r: ExecutionResult<T, unknown>) => {
          clearTimeout(timer);
          resolve(r);
        };
        // A waiter that timed out leaves: the next event is for the next call, not lost on this one.
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`no event within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(waiter);
      });
    },
  };
}

/** A raw socket: send protocol messages by hand, read what comes back and how it closes. */
export async function rawSocket(httpUrl: string, protocol: string | string[] = GRAPHQL_WS) {
  const socket = new WebSocket(wsUrl(httpUrl), protocol);
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  socket.on("message", (data) => {
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return {
    socket,
    closed,
    send: (message: unknown) => socket.send(typeof message === "string" ? message : JSON.stringify(message)),
    /** The next message of `type`, waiting up to `timeoutMs`. */
    async message(type: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = messages.findIndex((m) => m.type === type);
        if (index >= 0) return messages.splice(index, 1)[0]!;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no "${type}" message within ${timeoutMs} ms (got ${JSON.stringify(messages)})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}
