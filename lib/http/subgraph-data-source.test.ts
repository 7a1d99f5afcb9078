import http from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { afterEach, describe, expect, it } from "vitest";
import { SubgraphDataSource } from "./subgraph-data-source.ts";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => handler(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

interface Policy {
  hints: unknown[];
  restrict(hint: unknown): void;
}

function operation(context: Record<string, unknown> = {}, policy?: Policy) {
  return {
    kind: "incoming operation",
    request: { query: "{ a }", variables: { x: 1 }, operationName: "A", http: undefined },
    context,
    incomingRequestContext: { overallCachePolicy: policy },
  } as unknown as GraphQLDataSourceProcessOptions<Record<string, unknown>>;
}

const json = (res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(value));
};

describe("SubgraphDataSource", () => {
  it("posts the operation as JSON with the context's headers and returns the answer", async () => {
    let seen: { headers: http.IncomingHttpHeaders; body: unknown } | undefined;
    const url = await serve((req, body, res) => {
      seen = { headers: req.headers, body: JSON.parse(body) };
      json(res, 200, { data: { a: 1 } });
    });
    const source = new SubgraphDataSource<Record<string, unknown>>({ url, timeoutMs: 1000, headers: (c) => ({ "x-request-id": String(c?.requestId) }) });
    const response = await source.process(operation({ requestId: "r-1" }));
    expect(response).toEqual({ data: { a: 1 } });
    expect(seen!.body).toEqual({ query: "{ a }", variables: { x: 1 }, operationName: "A" });
    expect(seen!.headers["x-request-id"]).toBe("r-1");
    expect(seen!.headers["content-type"]).toBe("application/json");
  });

  it("keeps the connection alive between fetches", async () => {
    const ports = new Set<number>();
    const url = await serve((req, _body, res) => {
      ports.add(req.socket.remotePort!);
      json(res, 200, { data: { a: 1 } });
    });
    const source = new SubgraphDataSource({ url, timeoutMs: 1000, headers: () => ({}) });
    for (let i = 0; i < 5; i++) await source.process(operation());
    expect(ports.size).toBe(1);
  });

  it("turns a non-2xx status into RemoteGraphQLDataSource's error, with the response", async () => {
    const url = await serve((_req, _body, res) => json(res, 401, { errors: [{ message: "no" }] }));
    const source = new SubgraphDataSource({ url, timeoutMs: 1000, headers: () => ({}) });
    const error = (await source.process(operation()).then(
      () => undefined,
      (e: unknown) => e,
    )) as { message: string; extensions: Record<string, unknown> };
    expect(error.message).toBe("401: Unauthorized");
    expect(error.extensions.code).toBe("UNAUTHENTICATED");
    expect(error.extensions.response).toMatchObject({ status: 401, body: { errors: [{ message: "no" }] } });
  });

  it("refuses an answer that is not a JSON object", async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("hello");
    });
    const source = new SubgraphDataSource({ url, timeoutMs: 1000, headers: () => ({}) });
    await expect(source.process(operation())).rejects.toThrow("Expected JSON response body, but received: hello");
  });

  it("aborts a fetch past its timeout", async () => {
    const url = await serve(() => undefined);
    const source = new SubgraphDataSource({ url, timeoutMs: 100, headers: () => ({}) });
    await expect(source.process(operation())).rejects.toThrow("did not answer within 100 ms");
  });

  it("sends again on a new connection when a kept-alive socket was closed before any answer", async () => {
    let requests = 0;
    const url = await serve((req, _body, res) => {
      requests++;
      // The second request arrives on the kept-alive socket, which the server then drops unanswered.
      if (requests === 2) return req.socket.destroy();
      json(res, 200, { data: { n: requests } });
    });
    const source = new SubgraphDataSource({ url, timeoutMs: 1000, headers: () => ({}) });
    expect(await source.process(operation())).toEqual({ data: { n: 1 } });
    expect(await source.process(operation())).toEqual({ data: { n: 3 } });
  });

  it("restricts the request's cache policy by the subgraph's Cache-Control, as RemoteGraphQLDataSource does", async () => {
    const url = await serve((_req, _body, res) => json(res, 200, { data: {} }, { "cache-control": "max-age=60, private" }));
    const source = new SubgraphDataSource({ url, timeoutMs: 1000, headers: () => ({}) });
    const policy: Policy = { hints: [], restrict: (hint) => policy.hints.push(hint) };
    await source.process(operation({}, policy));
    expect(policy.hints).toEqual([{ maxAge: 60, scope: "PRIVATE" }]);
  });
});
