/**
 * A subgraph over HTTP for the gateway's query plans (distributed mode): what @apollo/gateway's
 * RemoteGraphQLDataSource does — POST { query, variables, operationName, extensions } as JSON, the
 * answer's JSON as the fetch's result, a non-2xx status as a `<status>: <text>` error carrying the
 * response, a subgraph's Cache-Control restricting the request's cache policy — on node:http with a
 * keep-alive agent of its own instead of fetch. Per fetch that spares the Fetch API's objects (two
 * Headers, a Request, a Response, web streams, an AbortSignal): measured in bench/gateway-own-cpu.ts.
 *
 * A request that fails on a kept-alive socket before any answer (the subgraph closed it while idle)
 * is sent once more on a new connection: nothing reached the subgraph. Past `timeoutMs` the request is
 * aborted and its socket closed (the gateway's BudgetedDataSource answers the client first).
 */
import http from "node:http";
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
// RemoteGraphQLDataSource's own parser (not re-exported by the package's index), so a subgraph's
// Cache-Control reads here exactly as it does there.
import { parseCacheControlHeader } from "@apollo/gateway/dist/datasources/parseCacheControlHeader.js";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { GraphQLError } from "graphql";

export interface SubgraphDataSourceOptions<C> {
  url: string;
  /** Milliseconds after which the request is aborted. */
  timeoutMs: number;
  /** Headers of each request (beyond content-type and content-length), from the request's context. */
  headers(context: C | undefined): Record<string, string>;
  /** Sockets per subgraph at most (default: unbounded, as fetch's). */
  maxSockets?: number;
}

/** An idle kept-alive socket's life at most (shorter when the subgraph announces a Keep-Alive timeout). */
const IDLE_SOCKET_MS = 30_000;

/** Extra time the abort gives a request past `timeoutMs`: the budget's timer of the same length answers first. */
const ABORT_SLACK_MS = 50;

interface Answer {
  status: number;
  statusText: string;
  contentType: string | undefined;
  cacheControl: string | undefined;
  text: string;
}

/** A context as @apollo/gateway types it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContext = Record<string, any>;

export class SubgraphDataSource<C extends AnyContext> implements GraphQLDataSource<C> {
  private readonly target: URL;
  readonly agent: http.Agent;

  constructor(private readonly options: SubgraphDataSourceOptions<C>) {
    this.target = new URL(options.url);
    if (this.target.protocol !== "http:") throw new Error(`SubgraphDataSource speaks http:, not ${this.target.protocol} (${options.url})`);
    // LIFO: the most recently used sockets are reused, the rest time out idle instead of all staying warm.
    // An idle socket is closed a second before the subgraph's announced Keep-Alive timeout (node's agent
    // applies the hint only under a timeout of its own), so a request seldom meets a socket being closed.
    this.agent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, maxSockets: options.maxSockets ?? Infinity, scheduling: "lifo" });
  }

  async process(options: GraphQLDataSourceProcessOptions<C>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error("Missing query");
    const context = "context" in options ? options.context : undefined;
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName, extensions: request.extensions });
    const headers: http.OutgoingHttpHeaders = {
      ...this.options.headers(context as C | undefined),
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    };
    let answer: Answer;
    try {
      answer = await this.send(body, headers, true);
    } catch (error) {
      if ((error as { retry?: boolean }).retry) answer = await this.send(body, headers, false);
      else throw error;
    }
    const parsed = parseBody(answer);
    if (answer.status < 200 || answer.status > 299) {
      const extensions: Record<string, unknown> = { response: { url: this.options.url, status: answer.status, statusText: answer.statusText, body: parsed } };
      if (answer.status === 401) extensions.code = "UNAUTHENTICATED";
      else if (answer.status === 403) extensions.code = "FORBIDDEN";
      throw new GraphQLError(`${answer.status}: ${answer.statusText}`, { extensions });
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
    // A client's operation (not a health check or a schema load) has a request context with its policy.
    if ("incomingRequestContext" in options) restrictCachePolicy(options.incomingRequestContext.overallCachePolicy, answer.cacheControl);
    return parsed as GatewayGraphQLResponse;
  }

  /** One attempt; its error has `retry` when it failed on a reused socket before any answer. */
  private send(body: string, headers: http.OutgoingHttpHeaders, mayRetry: boolean): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      let answered = false;
      const req = http.request(
        {
          protocol: this.target.protocol,
          hostname: this.target.hostname,
          port: this.target.port,
          path: this.target.pathname + this.target.search,
          method: "POST",
          headers,
          agent: this.agent,
        },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", fail);
          res.on("end", () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? "",
              contentType: res.headers["content-type"],
              cacheControl: res.headers["cache-control"],
              text: chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"),
            });
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`The subgraph at ${this.options.url} did not answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs + ABORT_SLACK_MS);
      function fail(error: Error) {
        clearTimeout(timer);
        if (mayRetry && !answered && req.reusedSocket && (error as NodeJS.ErrnoException).code === "ECONNRESET") Object.assign(error, { retry: true });
        reject(error);
      }
      req.on("error", fail);
      req.end(body);
    });
  }
}

/** The body as RemoteGraphQLDataSource reads it: JSON when the type says so, else the text. */
function parseBody(answer: Answer): unknown {
  const type = answer.contentType;
  if (type && (type.startsWith("application/json") || type.startsWith("application/graphql-response+json"))) return JSON.parse(answer.text);
  return answer.text;
}

type CachePolicy = GraphQLDataSourceProcessOptions<AnyContext> extends infer O
  ? O extends { incomingRequestContext: { overallCachePolicy: infer P } }
    ? P
    : never
  : never;

/** A subgraph's Cache-Control as a hint on the request's policy (RemoteGraphQLDataSource's honorSubgraphCacheControlHeader). */
function restrictCachePolicy(policy: CachePolicy | undefined, header: string | undefined): void {
  if (!policy || !("restrict" in policy)) return;
  const directives = parseCacheControlHeader(header);
  const hint: { maxAge: number; scope?: "PUBLIC" | "PRIVATE" } = { maxAge: 0 };
  const maxAge = directives["max-age"];
  if (typeof maxAge === "string" && /^[0-9]+$/.test(maxAge)) hint.maxAge = Number(maxAge);
  if (directives.private === true) hint.scope = "PRIVATE";
  if (directives.public === true) hint.scope = "PUBLIC";
  policy.restrict(hint);
}
