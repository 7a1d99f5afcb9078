/**
 * Serves an ApolloServer from a plain node:http request: the gateway and every subgraph process use
 * this, so body limits, JSON parsing and streaming responses behave the same everywhere.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import { BodyTooLargeError, readBody } from "./body.ts";

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(body);
}

function graphqlError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

export async function handleGraphQL<C extends BaseContext>(
  server: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  opts: { bodyLimit: number; context: () => Promise<C>; extraHeaders?: () => Record<string, string> },
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
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
