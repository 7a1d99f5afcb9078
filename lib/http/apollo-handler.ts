/**
 * Serves an ApolloServer from a plain node:http request: the gateway and every subgraph process use
 * this, so body limits, JSON parsing and streaming responses behave the same everywhere.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from "@apollo/server";
import type { GraphQLError } from "graphql";
import { BodyTimeoutError, BodyTooLargeError, readBody } from "./body.ts";

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(body);
}

function graphqlError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}

/**
 * The status of an answer whose GraphQL request failed, by what the client accepts (GraphQL over HTTP,
 * https://graphql.github.io/graphql-over-http/draft/#sec-Response): a client that accepts
 * application/graphql-response+json (or any type, fetch's default) gets the 4xx; a legacy client
 * that accepts only application/json, or sends no Accept, gets 200 and reads the errors from the body
 * (to it a 4xx could come from any proxy on the way). That covers parse, validation and
 * variable errors and the gateway's refusals of a document (QUERY_TOO_COMPLEX, persisted queries).
 * A malformed HTTP request (BAD_REQUEST: no query, an unparsable body, a batch, CSRF) and the HTTP
 * statuses with their own meaning (401, 405, 406, 413, 429) stay what they are for everyone.
 */
export function statusFor(status: number, accept: string | undefined, codes: () => unknown[]): number {
  if (status !== 400 || !acceptsOnlyJson(accept)) return status;
  return codes().includes("BAD_REQUEST") ? status : 200;
}

function acceptsOnlyJson(accept: string | undefined): boolean {
  if (!accept?.trim()) return true;
  const types = accept.split(",").map((range) => range.split(";")[0]!.trim().toLowerCase());
  return types.includes("application/json") && !types.some((t) => t === "application/graphql-response+json" || t === "*/*" || t === "application/*");
}

function errorCodes(json: string): unknown[] {
  try {
    const { errors } = JSON.parse(json) as { errors?: { extensions?: { code?: unknown } }[] };
    return Array.isArray(errors) ? errors.map((e) => e?.extensions?.code) : [];
  } catch {
    return [];
  }
}

/** A typed error as the whole answer: its extensions.http status (see statusFor), and Retry-After when it has one. */
export function sendGraphQLError(res: ServerResponse, error: GraphQLError, accept?: string): void {
  const { http, ...extensions } = error.extensions as { http?: { status?: number } } & Record<string, unknown>;
  const retryAfter = extensions.retryAfter;
  const status = statusFor(http?.status ?? 400, accept, () => [extensions.code]);
  sendJson(res, status, { errors: [{ message: error.message, extensions }] }, retryAfter ? { "retry-after": String(retryAfter) } : {});
}

/** An answer made without Apollo (a response cache's hit). */
export interface PreparedAnswer {
  status: number;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface GraphQLHandlerOptions<C> {
  bodyLimit: number;
  /** Milliseconds the body may take to arrive; past them 408 (none: the server's requestTimeout alone). */
  bodyTimeoutMs?: number;
  context: () => Promise<C>;
  extraHeaders?: () => Record<string, string>;
  /** Looks at the raw operation(s) — a parsed POST body or GET's parameters — before Apollo parses them. */
  inspect?: (body: unknown) => GraphQLError | undefined;
  /** An answer longer than this is replaced by a RESPONSE_TOO_LARGE error. */
  maxResponseBytes?: number;
  /**
   * After inspect(): an answer that spares Apollo the request (a cache hit), or undefined to go on;
   * a promise of either when finding out takes I/O (awaited only then: a synchronous answer is sent at once).
   */
  shortcut?: (operation: unknown) => PreparedAnswer | undefined | Promise<PreparedAnswer | undefined>;
  /**
   * After shortcut(): the answer to a request that may skip Apollo Server's HTTP layer (the gateway's
   * known documents, gateway/direct-execution.ts), or undefined to go through Apollo. It is sent like
   * Apollo's own answer (status by Accept, response cap, answered, extra headers).
   */
  direct?: (operation: unknown, url: URL) => Promise<HTTPGraphQLResponse> | undefined;
  /** Sees the head of each answer Apollo itself gave. */
  apolloAnswered?: (response: HTTPGraphQLResponse) => void;
  /** Sees each complete answer Apollo gave before it is sent (to keep it); returns headers to add. */
  answered?: (text: string, status: number, contentType: string | undefined) => Record<string, string>;
}

export async function handleGraphQL<C extends BaseContext>(
  server: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  opts: GraphQLHandlerOptions<C>,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  let body: unknown = undefined;
  if (req.method === "POST") {
    let raw: string;
    try {
      raw = await readBody(req, opts.bodyLimit, opts.bodyTimeoutMs);
    } catch (error) {
      // Closing spares reading the rest of the body: node would otherwise drain it to reuse the connection.
      if (error instanceof BodyTooLargeError) {
        return graphqlError(res, 413, "PAYLOAD_TOO_LARGE", `Cererea depășește ${error.limit} octeți.`, { connection: "close" });
      }
      if (error instanceof BodyTimeoutError) {
        return graphqlError(res, 408, "BAD_REQUEST", `Cererea nu a sosit întreagă în ${error.seconds} s.`, { connection: "close" });
      }
      throw error;
    }
    const type = req.headers["content-type"] ?? "";
    if (type.includes("json")) {
      try {
        body = raw.length ? JSON.parse(raw) : undefined;
      } catch {
        return graphqlError(res, 400, "BAD_REQUEST", "Corpul cererii nu este JSON valid.");
      }
    } else {
      body = raw;
    }
  }
  const operation = req.method === "POST" ? body : fromSearch(url.searchParams);
  const refused = opts.inspect?.(operation);
  if (refused) return sendGraphQLError(res, refused, req.headers.accept);
  let prepared = opts.shortcut?.(operation);
  if (prepared instanceof Promise) prepared = await prepared;
  if (prepared) {
    res.writeHead(prepared.status, { ...prepared.headers, ...opts.extraHeaders?.() });
    res.end(prepared.body);
    return;
  }
  const direct = opts.direct?.(operation, url);
  const response = direct ? await direct : await throughApollo(server, req, url, body, opts);
  for (const [key, value] of response.headers) res.setHeader(key, value);
  for (const [key, value] of Object.entries(opts.extraHeaders?.() ?? {})) res.setHeader(key, value);
  res.statusCode = statusFor(response.status ?? 200, req.headers.accept, () =>
    response.body.kind === "complete" ? errorCodes(response.body.string) : [],
  );
  if (response.body.kind === "complete") {
    const text = response.body.string;
    if (opts.maxResponseBytes && text.length > opts.maxResponseBytes) {
      return graphqlError(res, 200, "RESPONSE_TOO_LARGE", `Răspunsul depășește ${opts.maxResponseBytes} de caractere; cere mai puține date.`);
    }
    for (const [key, value] of Object.entries(opts.answered?.(text, res.statusCode, response.headers.get("content-type")) ?? {})) res.setHeader(key, value);
    res.end(text);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

async function throughApollo<C extends BaseContext>(
  server: ApolloServer<C>,
  req: IncomingMessage,
  url: URL,
  body: unknown,
  opts: GraphQLHandlerOptions<C>,
): Promise<HTTPGraphQLResponse> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
    context: opts.context,
  });
  opts.apolloAnswered?.(response);
  return response;
}

/** GET's operation as a POST body would carry it (variables as their raw text), for inspect() and shortcut(). */
function fromSearch(params: URLSearchParams): unknown {
  let extensions: unknown;
  try {
    extensions = JSON.parse(params.get("extensions") ?? "null");
  } catch {
    extensions = undefined; // Apollo answers malformed parameters itself
  }
  return { query: params.get("query") ?? undefined, operationName: params.get("operationName") ?? undefined, variables: params.get("variables") ?? undefined, extensions };
}
