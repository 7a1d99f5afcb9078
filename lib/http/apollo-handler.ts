/**
 * Serves an ApolloServer from a plain node:http request: the gateway and every subgraph process use
 * this, so body limits, JSON parsing and streaming responses behave the same everywhere.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import type { GraphQLError } from "graphql";
import { BodyTooLargeError, readBody } from "./body.ts";

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(body);
}

function graphqlError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** A typed error as the whole answer: its extensions.http status, and Retry-After when it has one. */
export function sendGraphQLError(res: ServerResponse, error: GraphQLError): void {
  const { http, ...extensions } = error.extensions as { http?: { status?: number } } & Record<string, unknown>;
  const retryAfter = extensions.retryAfter;
  sendJson(res, http?.status ?? 400, { errors: [{ message: error.message, extensions }] }, retryAfter ? { "retry-after": String(retryAfter) } : {});
}

export interface GraphQLHandlerOptions<C> {
  bodyLimit: number;
  context: () => Promise<C>;
  extraHeaders?: () => Record<string, string>;
  /** Looks at the raw operation(s) — a parsed POST body or GET's parameters — before Apollo parses them. */
  inspect?: (body: unknown) => GraphQLError | undefined;
  /** An answer longer than this is replaced by a RESPONSE_TOO_LARGE error. */
  maxResponseBytes?: number;
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
      raw = await readBody(req, opts.bodyLimit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return graphqlError(res, 413, "PAYLOAD_TOO_LARGE", `Cererea depășește ${error.limit} octeți.`);
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
  const refused = opts.inspect?.(req.method === "POST" ? body : fromSearch(url.searchParams));
  if (refused) return sendGraphQLError(res, refused);
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
    context: opts.context,
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  for (const [key, value] of Object.entries(opts.extraHeaders?.() ?? {})) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === "complete") {
    const text = response.body.string;
    if (opts.maxResponseBytes && text.length > opts.maxResponseBytes) {
      return graphqlError(res, 200, "RESPONSE_TOO_LARGE", `Răspunsul depășește ${opts.maxResponseBytes} de caractere; cere mai puține date.`);
    }
    res.end(text);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** GET's operation as a POST body would carry it, for inspect(). */
function fromSearch(params: URLSearchParams): unknown {
  let extensions: unknown;
  try {
    extensions = JSON.parse(params.get("extensions") ?? "null");
  } catch {
    extensions = undefined; // Apollo answers malformed parameters itself
  }
  return { query: params.get("query") ?? undefined, extensions };
}
