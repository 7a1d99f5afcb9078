import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSchema, getOperationAST, parse, validate } from "graphql";
import { afterAll, describe, expect, it } from "vitest";
import { createPersistedOperations, DEFAULT_MANIFEST, loadManifest, parseManifest } from "./persisted-operations.ts";

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");
const JUDETE = "query Judete {\n  counties {\n    code\n  }\n}";

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function manifestFile(operations: { id: string; name: string; type: string; body: string }[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-manifest-"));
  tempDirs.push(dir);
  const file = path.join(dir, "manifest.json");
  fs.writeFileSync(file, JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations }));
  return file;
}

describe("the persisted query manifest", () => {
  it("is Apollo's format, and refuses anything else with the reason", () => {
    expect(() => parseManifest("{", "m.json")).toThrow(/m\.json: not JSON/);
    expect(() => parseManifest(JSON.stringify({ format: "relay", version: 1, operations: [] }))).toThrow(/apollo-persisted-query-manifest/);
    expect(() => parseManifest(JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id: "a", name: "A", type: "fragment", body: "{}" }] }))).toThrow(
      /operations\[0\]/,
    );
    const twice = { id: "a", name: "A", type: "query", body: "{ a }" };
    expect(() => parseManifest(JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations: [twice, twice] }))).toThrow(/appears twice/);
  });

  it("committed in gateway/ holds operations with sha256 ids that are valid against schema.graphql", () => {
    const schema = buildSchema(fs.readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8"));
    const operations = [...loadManifest(DEFAULT_MANIFEST).values()];
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) {
      expect(op.id, op.name).toBe(sha256(op.body));
      const document = parse(op.body);
      expect(validate(schema, document), op.name).toEqual([]);
      expect(getOperationAST(document)?.name?.value).toBe(op.name);
      expect(getOperationAST(document)?.operation).toBe(op.type);
    }
  });
});

describe("PERSISTED_OPERATIONS=only", () => {
  const file = manifestFile([{ id: sha256(JUDETE), name: "Judete", type: "query", body: JUDETE }]);
  const only = createPersistedOperations({ PERSISTED_OPERATIONS: "only", PERSISTED_OPERATIONS_MANIFEST: file });
  const hash = (sha256Hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash } } });

  it("lets a manifest operation through by its hash or its exact body", () => {
    expect(only.check(hash(sha256(JUDETE)))).toBeUndefined();
    expect(only.check({ query: JUDETE })).toBeUndefined();
    expect(only.check({ query: JUDETE, ...hash(sha256(JUDETE)) })).toBeUndefined();
  });

  it("refuses any other document or hash with a typed error, in a batch too", () => {
    const codes = [{ query: "{ counties { code } }" }, hash("0".repeat(64)), [{ query: JUDETE }, { query: `${JUDETE} ` }]].map(
      (body) => only.check(body)?.extensions.code,
    );
    expect(codes).toEqual(Array(3).fill("PERSISTED_QUERY_NOT_IN_MANIFEST"));
    expect(only.check({ query: "{ a }" })?.extensions.http).toEqual({ status: 400 });
  });

  it("holds clients to the allow-list, but not a subgraph's own query of the graph (chat asking for a listing)", async () => {
    type Start = NonNullable<typeof only.plugin.requestDidStart>;
    const start = only.plugin.requestDidStart as (ctx: unknown) => ReturnType<Start>;
    const listener = await start({ contextValue: { internal: false } });
    await expect(listener!.didResolveOperation!({ queryHash: sha256("{ listing(id: 1) { status } }") } as never)).rejects.toMatchObject({
      extensions: { code: "PERSISTED_QUERY_NOT_IN_MANIFEST" },
    });
    expect(await start({ contextValue: { internal: true } })).toBeUndefined();
  });

  it("serves manifest bodies to Apollo by hash and stores nothing else", async () => {
    const cache = (only.apollo as { cache: { get(k: string): Promise<unknown>; set(k: string, v: string): Promise<void> } }).cache;
    expect(await cache.get(`apq:${sha256(JUDETE)}`)).toBe(JUDETE);
    await cache.set(`apq:${sha256("{ a }")}`, "{ a }");
    expect(await cache.get(`apq:${sha256("{ a }")}`)).toBeUndefined();
  });

  it("refuses to start without its manifest", () => {
    expect(() => createPersistedOperations({ PERSISTED_OPERATIONS: "only", PERSISTED_OPERATIONS_MANIFEST: "/nonexistent/manifest.json" })).toThrow(
      "Persisted operations manifest /nonexistent/manifest.json not found",
    );
  });
});

describe("PERSISTED_OPERATIONS=apq and off", () => {
  it("apq refuses nothing, answers manifest hashes and remembers registered documents", async () => {
    const file = manifestFile([{ id: sha256(JUDETE), name: "Judete", type: "query", body: JUDETE }]);
    const apq = createPersistedOperations({ PERSISTED_OPERATIONS: "apq", PERSISTED_OPERATIONS_MANIFEST: file });
    expect(apq.check({ query: "{ a }" })).toBeUndefined();
    const cache = (apq.apollo as { cache: { get(k: string): Promise<unknown>; set(k: string, v: string): Promise<void> } }).cache;
    expect(await cache.get(`apq:${sha256(JUDETE)}`)).toBe(JUDETE);
    await cache.set(`apq:${sha256("{ a }")}`, "{ a }");
    expect(await cache.get(`apq:${sha256("{ a }")}`)).toBe("{ a }");
  });

  it("apq without a manifest leaves Apollo's own cache; off turns persisted queries off", () => {
    expect(createPersistedOperations({ PERSISTED_OPERATIONS: "apq", PERSISTED_OPERATIONS_MANIFEST: "/nonexistent/m.json" }).apollo).toBeUndefined();
    expect(createPersistedOperations({ PERSISTED_OPERATIONS: "off", PERSISTED_OPERATIONS_MANIFEST: undefined }).apollo).toBe(false);
  });
});
