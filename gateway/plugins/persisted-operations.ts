/**
 * Persisted operations (PERSISTED_OPERATIONS):
 *   apq   automatic persisted queries: a client sends { query, extensions.persistedQuery.sha256Hash }
 *         once, then the hash alone; manifest operations answer by hash at once (the default)
 *   only  an allow-list: only the operations of the manifest run, asked by hash (id) or by their exact
 *         body; any other document is PERSISTED_QUERY_NOT_IN_MANIFEST before anything parses it
 *   off   no persisted queries (a hash is PERSISTED_QUERY_NOT_SUPPORTED)
 *
 * The manifest is the file @apollo/generate-persisted-query-manifest writes (Apollo's persisted query
 * manifest, as Apollo Router and GraphOS read it), so partners produce it with existing tooling.
 * Apollo Server serves the hash-only requests (its `persistedQueries` cache, here backed by the
 * manifest); the allow-list is checked on the raw request (check) and again once Apollo knows the
 * document's hash (plugin), so a transport that skips the first check still cannot run anything else.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import type { ApolloServerPlugin, PersistedQueryOptions } from "@apollo/server";
import { GraphQLError } from "graphql";
import { LRUCache } from "lru-cache";
import type { GatewayContext } from "../context.ts";
import type { Config } from "../../lib/env.ts";
import type { PublicErrorCode } from "../../lib/errors.ts";

export type PersistedOperationsMode = "apq" | "only" | "off";

export const DEFAULT_MANIFEST = new URL("../persisted-operations.json", import.meta.url);

export interface ManifestOperation {
  id: string;
  name: string;
  type: "query" | "mutation" | "subscription";
  body: string;
}

export interface PersistedOperations {
  mode: PersistedOperationsMode;
  operations: ReadonlyMap<string, ManifestOperation>;
  /** For ApolloServer's `persistedQueries` option (undefined: Apollo's default in-memory APQ cache). */
  apollo: PersistedQueryOptions | false | undefined;
  /** A raw request (a POST body, GET's parameters, a batch) refused by the allow-list, if it is. */
  check(body: unknown): GraphQLError | undefined;
  plugin: ApolloServerPlugin<GatewayContext>;
}

interface RawOperation {
  query?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } };
}

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

/** Apollo prefixes APQ keys ("apq:<hash>") before they reach the cache it is given. */
const hashOf = (key: string) => (key.startsWith("apq:") ? key.slice(4) : key);

export const notInManifest = () =>
  new GraphQLError("Operația nu este în lista operațiilor permise ale acestui API (persisted operations manifest).", {
    extensions: { code: "PERSISTED_QUERY_NOT_IN_MANIFEST" satisfies PublicErrorCode, http: { status: 400 } },
  });

/** Reads and checks an Apollo persisted query manifest; throws with the file and the reason. */
export function parseManifest(text: string, file = "manifest"): Map<string, ManifestOperation> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  const { format, version, operations } = (manifest ?? {}) as Record<string, unknown>;
  if (format !== "apollo-persisted-query-manifest" || version !== 1 || !Array.isArray(operations)) {
    throw new Error(`${file}: expected { "format": "apollo-persisted-query-manifest", "version": 1, "operations": [...] }`);
  }
  const byId = new Map<string, ManifestOperation>();
  for (const [index, entry] of operations.entries()) {
    const { id, name, type, body } = (entry ?? {}) as Record<string, unknown>;
    if (typeof id !== "string" || !id || typeof name !== "string" || typeof body !== "string" || !["query", "mutation", "subscription"].includes(type as string)) {
      throw new Error(`${file}: operations[${index}] needs a string id, name and body and a type (query, mutation or subscription)`);
    }
    if (byId.has(id)) throw new Error(`${file}: operation id ${id} appears twice`);
    byId.set(id, { id, name, type: type as ManifestOperation["type"], body });
  }
  return byId;
}

export function loadManifest(file: string | URL): Map<string, ManifestOperation> {
  const name = file instanceof URL ? fileURLToPath(file) : file;
  if (!fs.existsSync(file)) throw new Error(`Persisted operations manifest ${name} not found (PERSISTED_OPERATIONS_MANIFEST names another file).`);
  return parseManifest(fs.readFileSync(file, "utf8"), name);
}

export function createPersistedOperations(
  config: Pick<Config, "PERSISTED_OPERATIONS" | "PERSISTED_OPERATIONS_MANIFEST">,
): PersistedOperations {
  const mode = config.PERSISTED_OPERATIONS;
  const file = config.PERSISTED_OPERATIONS_MANIFEST ?? DEFAULT_MANIFEST;
  // The allow-list needs its manifest; APQ uses one when it is there.
  const operations = mode === "only" || (mode === "apq" && fs.existsSync(file)) ? loadManifest(file) : new Map<string, ManifestOperation>();
  const bodyHashes = new Set([...operations.values()].map((op) => sha256(op.body)));
  const allowed = (hash: string) => operations.has(hash) || bodyHashes.has(hash);

  const checkOne = (operation: RawOperation): GraphQLError | undefined => {
    // The hash of a query sent with its body was compared with the body already (gateway/limits/source-limits.ts).
    if (typeof operation.query === "string") return bodyHashes.has(sha256(operation.query)) ? undefined : notInManifest();
    const hash = operation.extensions?.persistedQuery?.sha256Hash;
    if (typeof hash === "string") return operations.has(hash) ? undefined : notInManifest();
    return undefined; // neither a query nor a hash: Apollo answers BAD_REQUEST
  };

  return {
    mode,
    operations,
    apollo: apolloOption(mode, operations),
    check(body) {
      if (mode !== "only" || !body || typeof body !== "object") return undefined;
      for (const operation of Array.isArray(body) ? body : [body]) {
        const refused = checkOne((operation ?? {}) as RawOperation);
        if (refused) return refused;
      }
      return undefined;
    },
    plugin: {
      async requestDidStart({ contextValue }) {
        if (mode !== "only" || contextValue.internal) return;
        return {
          // queryHash: the hash a client sent alone, else the sha256 of the document Apollo parsed.
          async didResolveOperation({ queryHash }) {
            if (!allowed(queryHash)) throw notInManifest();
          },
        };
      },
    },
  };
}

type KeyValueCache = NonNullable<PersistedQueryOptions["cache"]>;

function apolloOption(mode: PersistedOperationsMode, operations: ReadonlyMap<string, ManifestOperation>): PersistedOperations["apollo"] {
  if (mode === "off") return false;
  if (mode === "only") return { cache: manifestCache(operations) };
  // APQ without a manifest: Apollo's own cache is the same as apqCache().
  return operations.size ? { cache: manifestCache(operations, apqCache()) } : undefined;
}

/** Manifest operations by id, then (APQ) what clients registered; without `registered`, read-only. */
function manifestCache(operations: ReadonlyMap<string, ManifestOperation>, registered?: KeyValueCache): KeyValueCache {
  return {
    async get(key) {
      return operations.get(hashOf(key))?.body ?? registered?.get(key);
    },
    async set(key, value, options) {
      if (registered && !operations.has(hashOf(key))) await registered.set(key, value, options);
    },
    async delete(key) {
      return registered?.delete(key);
    },
  };
}

/** What Apollo's default APQ cache is: bounded by size (~30 MB of documents), least recently used out. */
function apqCache(): KeyValueCache {
  const lru = new LRUCache<string, string>({ maxSize: 30_000_000, sizeCalculation: (value, key) => value.length + key.length });
  return {
    async get(key) {
      return lru.get(key);
    },
    async set(key, value, options) {
      lru.set(key, value, options?.ttl ? { ttl: options.ttl * 1000 } : {});
    },
    async delete(key) {
      return lru.delete(key);
    },
  };
}
