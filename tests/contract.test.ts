/**
 * The contract as clients meet it: the schema the gateway serves is the committed schema.graphql;
 * automatic persisted queries over POST and GET; the allow-list of PERSISTED_OPERATIONS=only.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from "graphql";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_MANIFEST, loadManifest } from "../gateway/plugins/persisted-operations.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const manifest = [...loadManifest(DEFAULT_MANIFEST).values()];
const JUDETE = manifest.find((op) => op.name === "Judete")!;

async function post(stack: Stack, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

/** GET as Apollo Client's persisted-query link sends it (a header that is not CORS-simple, against CSRF). */
async function get(stack: Stack, params: { query?: string; extensions?: unknown; variables?: unknown }, headers: Record<string, string> = {}) {
  const url = new URL(stack.url);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, typeof value === "string" ? value : JSON.stringify(value));
  }
  const response = await fetch(url, { headers: { "apollo-require-preflight": "true", ...headers } });
  return { status: response.status, body: (await response.json()) as any };
}

const code = (r: { body: any }) => r.body.errors?.[0]?.extensions?.code;

describeStack("the served schema and automatic persisted queries (default settings)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it("serves exactly the committed schema.graphql", async () => {
    const r = await stack.request(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true }));
    expect(r.errors).toBeUndefined();
    const served = `${printSchema(lexicographicSortSchema(buildClientSchema(r.data)))}\n`;
    expect(served).toBe(fs.readFileSync(new URL("../schema.graphql", import.meta.url), "utf8"));
  });

  it("registers a document with its hash over POST, then answers the hash alone", async () => {
    const query = "query ApqPost { counties { code } }";
    const first = await post(stack, { extensions: persisted(sha256(query)) });
    expect(first.status).toBe(200);
    expect(code(first)).toBe("PERSISTED_QUERY_NOT_FOUND");
    const registered = await post(stack, { query, extensions: persisted(sha256(query)) });
    expect(registered.body.data.counties).toHaveLength(42);
    const byHash = await post(stack, { extensions: persisted(sha256(query)) });
    expect(byHash).toEqual({ status: 200, body: registered.body });
  });

  it("does the same over GET, variables included", async () => {
    const query = "query ApqGet($county: String!) { cities(county: $county) }";
    const variables = { county: "CJ" };
    expect(code(await get(stack, { extensions: persisted(sha256(query)), variables }))).toBe("PERSISTED_QUERY_NOT_FOUND");
    const registered = await get(stack, { query, extensions: persisted(sha256(query)), variables });
    expect(registered.status).toBe(200);
    expect(registered.body.data.cities).toContain("Cluj-Napoca");
    expect(await get(stack, { extensions: persisted(sha256(query)), variables })).toEqual(registered);
  });

  it("answers a manifest operation by its hash without a registration", async () => {
    const r = await get(stack, { extensions: persisted(JUDETE.id) });
    expect(r.status).toBe(200);
    expect(r.body.data.counties).toHaveLength(42);
  });

  it("still runs any other document, and refuses a hash that does not match its document", async () => {
    expect((await post(stack, { query: "{ categories { id } }" })).body.data.categories).toHaveLength(11);
    expect(code(await post(stack, { query: "{ categories { id } }", extensions: persisted(sha256("{ counties { code } }")) }))).toBe("PERSISTED_QUERY_HASH_MISMATCH");
  });
});

describeStack("PERSISTED_OPERATIONS=only: the committed manifest's operations, nothing else", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ PERSISTED_OPERATIONS: "only" });
  });
  afterAll(() => stack?.stop());

  it("runs a manifest operation by its hash (POST and GET) or by its exact body", async () => {
    const byPost = await post(stack, { extensions: persisted(JUDETE.id) });
    expect(byPost.status).toBe(200);
    expect(byPost.body.data.counties).toHaveLength(42);
    expect(await get(stack, { extensions: persisted(JUDETE.id) })).toEqual(byPost);
    expect(await post(stack, { query: JUDETE.body })).toEqual(byPost);
    const example = manifest.find((op) => op.name === "Anunturi")!;
    const page = await post(stack, { extensions: persisted(example.id), variables: { primele: 2 } });
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data.listings.totalCount).toBe(0);
  });

  it("refuses any other document or hash, before parsing it, with a typed error", async () => {
    for (const body of [{ query: "{ counties { code } }" }, { query: `${JUDETE.body}\n` }, { query: "{ counties {" }, { extensions: persisted("0".repeat(64)) }]) {
      const r = await post(stack, body);
      expect(r.status).toBe(400);
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors).toEqual([expect.objectContaining({ extensions: { code: "PERSISTED_QUERY_NOT_IN_MANIFEST" } })]);
    }
    expect(code(await get(stack, { query: "{ counties { code } }" }))).toBe("PERSISTED_QUERY_NOT_IN_MANIFEST");
  });

  it("answers 200 to a client that accepts only application/json, 400 to one that accepts graphql-response+json", async () => {
    const refused = { query: "{ counties { code } }" };
    expect((await post(stack, refused, { accept: "application/json" })).status).toBe(200);
    expect((await post(stack, refused, { accept: "application/graphql-response+json" })).status).toBe(400);
  });

  it("keeps refusing a hash that does not match the document sent with it", async () => {
    expect(code(await post(stack, { query: JUDETE.body, extensions: persisted("0".repeat(64)) }))).toBe("PERSISTED_QUERY_HASH_MISMATCH");
  });
});
