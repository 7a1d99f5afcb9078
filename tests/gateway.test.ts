import { afterAll, beforeAll, expect, it } from "vitest";
import { EXAMPLE_OPERATION } from "../gateway/graphiql.ts";
import { codes } from "./utils/client.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

describeStack("the gateway's HTTP surface", () => {
  let stack: Stack;
  const base = () => stack.url.replace(/\/graphql$/, "");

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it("answers liveness and readiness", async () => {
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("serves GraphQL over GET and POST, with a request id", async () => {
    const get = await fetch(`${stack.url}?query=${encodeURIComponent("{ counties { code } }")}`, {
      headers: { accept: "application/json", "apollo-require-preflight": "true" },
    });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.counties).toHaveLength(42);
    const post = await stack.request(`{ categories { slug } }`);
    expect(post.headers.get("x-request-id")).toMatch(/^[\w-]+$/);
  });

  it("shows an offline GraphiQL to browsers, with its assets served locally", async () => {
    const page = await fetch(stack.url, { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) expect((await fetch(new URL(asset, base()))).status).toBe(200);
    expect(html).toContain("listings");
  });

  it("offers an example operation in GraphiQL that runs against the schema", async () => {
    const r = await stack.request(EXAMPLE_OPERATION);
    expect(r.errors).toBeUndefined();
    expect(r.data.listings.edges).toBeInstanceOf(Array);
  });

  it("refuses bodies over the 100 KB limit with 413 and closes the connection instead of reading the rest", async () => {
    const big = JSON.stringify({ query: `{ counties { code } }`, variables: { pad: "x".repeat(110_000) } });
    const r = await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json" }, body: big });
    expect(r.status).toBe(413);
    expect(r.headers.get("connection")).toBe("close");
    expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe("PAYLOAD_TOO_LARGE");
    const justUnder = JSON.stringify({ query: `{ counties { code } }`, variables: { pad: "ă".repeat(45_000) } });
    expect((await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json" }, body: justUnder })).status).toBe(200);
  });

  it("reports malformed operations with standard codes", async () => {
    expect(codes(await stack.request(`{ listings { nope } }`))).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(codes(await stack.request(`{ listings {`))).toEqual(["GRAPHQL_PARSE_FAILED"]);
  });

  it("answers 404 outside /graphql", async () => {
    expect((await fetch(`${base()}/nope`)).status).toBe(404);
  });
});

describeStack("production error masking", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ NODE_ENV: "production" });
  });
  afterAll(() => stack?.stop());

  it("hides internal error text (here: the database is gone) and gives a request id instead", async () => {
    // A real internal failure: the database connection closes under the running API.
    await stack.app.db.close();
    const r = await stack.request(`{ listings(first: 1) { edges { node { id } } } }`);
    expect(r.errors).toHaveLength(1);
    const error = r.errors![0]!;
    expect(error.extensions!.code).toBe("INTERNAL_SERVER_ERROR");
    expect(error.extensions!.requestId).toBe(r.headers.get("x-request-id"));
    expect(error.extensions!.serviceName).toBeUndefined();
    expect(error.extensions!.stacktrace).toBeUndefined();
    expect(Object.keys(error.extensions!).sort()).toEqual(["code", "requestId"]);
    expect(error.message).not.toMatch(/prisma|pglite|postgres|closed|database/i);
  });

  it("does not serve GraphiQL in production", async () => {
    const page = await fetch(stack.url, { headers: { accept: "text/html" } });
    expect(page.headers.get("content-type") ?? "").not.toContain("text/html");
  });
});
