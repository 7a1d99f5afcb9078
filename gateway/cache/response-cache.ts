/**
 * The gateway's response cache. A hit is answered from the request's raw operation — before Apollo
 * parses, validates, plans or executes anything — after the same authentication, rate limit and
 * source limits as any request (gateway.ts runs those first).
 *
 * The key: the query text or persisted-operation hash, operation name, variables, and who asks — a
 * signed-in viewer's answers are kept for that viewer alone (whatever their scope: a resolver may
 * show its owner more, e.g. their own draft), anonymous answers are shared by anonymous clients —
 * plus the language and the Accept header (they change the answer's text and content type).
 *
 * What is kept: answers to queries without errors whose policy (operation-policy.ts) allows it, for
 * that policy's maxAge, tagged with their entities and collections; purges (lib/cache-purges.ts)
 * drop them. HTTP: `Cache-Control` from the policy (public only for an anonymous, wholly PUBLIC
 * answer), `ETag` and 304, `Vary`; `cache-status` (RFC 9211) outside production. An admin's request
 * with `Cache-Control: no-cache` skips the lookup and refreshes the entry.
 *
 * Two tiers: this process's LRU (store.ts) first — a hit there is answered synchronously, with no
 * round trip — and, in distributed mode, Redis (redis-store.ts, which says how its stores stay race
 * safe across processes): a local miss asks Redis (at most 50 ms, else a miss), a Redis hit fills the
 * local tier, and an answer is kept in both. Purges reach both; `everything` (a Redis reconnect)
 * clears the local tier and starts a new Redis epoch.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { CachePurge, CachePurges } from "../../lib/cache-purges.ts";
import { isAdmin } from "../../lib/context.ts";
import type { PreparedAnswer } from "../../lib/http/apollo-handler.ts";
import type { GatewayContext } from "../context.ts";
import { anyEntityTag } from "./entities.ts";
import { CacheHints } from "./hints.ts";
import { OperationPolicies } from "./operation-policy.ts";
import { digestOf, type RedisAnswerStore, type SharedSince } from "./redis-store.ts";
import { AnswerStore, type CachedAnswer } from "./store.ts";

export interface ResponseCacheOptions {
  maxBytes: number;
  supergraphSdl: string;
  apiSchema: GraphQLSchema;
  purges: CachePurges;
  /** The second tier, shared by the deployment's gateways (distributed mode). */
  shared?: RedisAnswerStore;
  /** Adds the cache-status header. */
  development: boolean;
}

/** One request's dealings with the cache; Apollo's per-operation copies of the context share it. */
interface Ticket {
  key: string;
  since: number;
  startedAt: number;
  anonymous: boolean;
  /** The key's Redis digest, and the generation its Redis lookup read (none: not stored in Redis). */
  digest?: string;
  sharedSince?: SharedSince;
  pending?: Omit<CachedAnswer, "body" | "etag" | "contentType" | "storedAt">;
}

const TICKET = Symbol("response cache ticket");
type WithTicket = GatewayContext & { [TICKET]?: Ticket };

export interface CacheHit {
  answer: PreparedAnswer;
  operationName: string;
}

const VARY = "Accept, Accept-Language, Authorization";
const SIMPLE_CONTENT_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);

export class ResponseCache {
  /** hits: from either tier (shared_hits: of them, from Redis); redis_errors: failed or slow Redis calls. */
  readonly counts: Record<"hits" | "misses" | "stored" | "purged" | "shared_hits", number> & { readonly redis_errors: number };
  private readonly store: AnswerStore;
  private readonly policies: OperationPolicies;
  private readonly unlisten: () => void;

  constructor(private readonly options: ResponseCacheOptions) {
    const shared = options.shared;
    this.counts = {
      hits: 0,
      misses: 0,
      stored: 0,
      purged: 0,
      shared_hits: 0,
      get redis_errors() {
        return shared?.counts.errors ?? 0;
      },
    };
    this.store = new AnswerStore(options.maxBytes);
    this.policies = new OperationPolicies(options.apiSchema, CacheHints.fromSupergraph(options.supergraphSdl));
    this.unlisten = options.purges.listen((purge) => this.purge(purge));
  }

  get size() {
    return this.store.size;
  }

  /**
   * Before Apollo: the cached answer, or undefined (then the request's answer may be kept). A local
   * hit (or nothing to look up) answers at once; a local miss in distributed mode answers a promise.
   */
  lookup(operation: unknown, req: IncomingMessage, context: GatewayContext): CacheHit | undefined | Promise<CacheHit | undefined> {
    if (context.authFailure || context.internal || !allowedByCsrfRule(req)) return undefined;
    const key = keyOf(operation, context, req.headers.accept);
    if (!key) return undefined;
    const ticket: Ticket = { key, since: this.store.now(), startedAt: Date.now(), anonymous: !context.viewer };
    (context as WithTicket)[TICKET] = ticket;
    if (isAdmin(context.viewer) && /no-cache/i.test(String(req.headers["cache-control"] ?? req.headers.pragma ?? ""))) {
      return this.options.shared ? this.lookupShared(ticket, req, true) : undefined;
    }
    const answer = this.store.get(key);
    if (answer) {
      this.counts.hits++;
      return { answer: this.prepared(answer, ticket.anonymous, req.headers["if-none-match"]), operationName: answer.operationName };
    }
    if (this.options.shared) return this.lookupShared(ticket, req, false);
    this.counts.misses++;
    return undefined;
  }

  /** Redis after a local miss; a hit fills the local tier. `refresh`: only the generation (an admin's no-cache). */
  private async lookupShared(ticket: Ticket, req: IncomingMessage, refresh: boolean): Promise<CacheHit | undefined> {
    const shared = this.options.shared!;
    ticket.digest = digestOf(ticket.key);
    const found = await shared.get(ticket.digest);
    ticket.sharedSince = found?.since;
    if (refresh) return undefined;
    if (!found?.answer || !found.ttlMs) {
      this.counts.misses++;
      return undefined;
    }
    // Its age by Redis's clock (what TTL it has left), not by the clock of the host that stored it.
    const answer = { ...found.answer, storedAt: Date.now() - Math.max(0, found.answer.maxAge * 1000 - found.ttlMs) };
    this.store.set(ticket.key, answer, ticket.since, ticket.startedAt, found.ttlMs);
    this.counts.hits++;
    this.counts.shared_hits++;
    return { answer: this.prepared(answer, ticket.anonymous, req.headers["if-none-match"], "redis"), operationName: answer.operationName };
  }

  /** Apollo's side: decides whether the answer may be kept, and its HTTP caching headers. */
  readonly plugin: ApolloServerPlugin<GatewayContext> = {
    requestDidStart: async () => this.listener,
  };

  private readonly listener: GraphQLRequestListener<GatewayContext> = {
    willSendResponse: async ({ contextValue, document, operationName, response }) => {
      const ticket = (contextValue as WithTicket)[TICKET];
      const result = response.body.kind === "single" ? response.body.singleResult : undefined;
      const policy = document && result && !result.errors && result.data ? this.policies.of(document, operationName) : null;
      const tags = new Set<string>(policy?.collections);
      if (!ticket || !policy || !policy.shape.collect(result!.data, tags)) {
        response.http.headers.set("cache-control", "no-store");
        return;
      }
      const scope = policy.scope;
      ticket.pending = { operationName: operationName ?? "anonymous", maxAge: policy.maxAge, scope, tags: [...tags] };
      response.http.headers.set("cache-control", cacheControl(scope, ticket.anonymous, policy.maxAge));
      response.http.headers.set("vary", VARY);
    },
  };

  /** After Apollo: keeps the answer when the plugin allowed it. Returns headers to add. */
  answered(context: GatewayContext, text: string, status: number, contentType: string | undefined): Record<string, string> {
    const ticket = (context as WithTicket)[TICKET];
    if (!ticket?.pending || status !== 200 || !contentType) return {};
    const body = Buffer.from(text);
    const answer: CachedAnswer = { ...ticket.pending, body, etag: etagOf(body), contentType, storedAt: Date.now() };
    const stored = this.store.set(ticket.key, answer, ticket.since, ticket.startedAt);
    if (stored) this.counts.stored++;
    const { shared } = this.options;
    if (shared && ticket.digest && ticket.sharedSince && this.store.mayKeep(answer.tags, ticket.since, ticket.startedAt)) {
      void shared.set(ticket.digest, answer, ticket.sharedSince, answer.maxAge * 1000);
    }
    return { etag: answer.etag, ...(this.options.development ? { "cache-status": `piata-gateway; fwd=miss${stored ? "; stored" : ""}` } : {}) };
  }

  close(): void {
    this.unlisten();
    this.options.shared?.close();
  }

  /** Both tiers at once: the Redis purge is sent before this returns, so this gateway's next Redis lookup comes after it. */
  private purge(purge: CachePurge): void {
    const { shared } = this.options;
    if (purge.everything) {
      this.counts.purged += this.store.clear();
      void shared?.clear();
      return;
    }
    const tags = new Set([...(purge.entities ?? []), ...(purge.collections ?? [])]);
    for (const entity of purge.entities ?? []) tags.add(anyEntityTag(entity.slice(0, entity.indexOf(":"))));
    this.counts.purged += this.store.purge(tags);
    void shared?.purge(tags);
  }

  private prepared(answer: CachedAnswer, anonymous: boolean, ifNoneMatch: string | undefined, tier?: "redis"): PreparedAnswer {
    const age = Math.floor((Date.now() - answer.storedAt) / 1000);
    const headers: Record<string, string> = {
      "content-type": answer.contentType,
      "cache-control": cacheControl(answer.scope, anonymous, Math.max(0, answer.maxAge - age)),
      etag: answer.etag,
      vary: VARY,
      age: String(age),
    };
    if (this.options.development) headers["cache-status"] = `piata-gateway; hit; ttl=${answer.maxAge - age}${tier ? `; detail=${tier}` : ""}`;
    if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => tag.trim() === answer.etag)) return { status: 304, headers };
    return { status: 200, headers, body: answer.body };
  }
}

function cacheControl(scope: "PUBLIC" | "PRIVATE", anonymous: boolean, maxAge: number): string {
  return `${scope === "PUBLIC" && anonymous ? "public" : "private"}, max-age=${maxAge}`;
}

function etagOf(body: Buffer): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/** Apollo Server's CSRF rule (csrfPrevention): a hit must not answer what Apollo would refuse. */
function allowedByCsrfRule(req: IncomingMessage): boolean {
  const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type && !SIMPLE_CONTENT_TYPES.has(type)) return true;
  return !!(req.headers["x-apollo-operation-name"] || req.headers["apollo-require-preflight"]);
}

/** The key of a single operation (a POST body, or GET's parameters); undefined for a batch or nothing to key on. */
function keyOf(operation: unknown, context: GatewayContext, accept: string | undefined): string | undefined {
  if (!operation || typeof operation !== "object" || Array.isArray(operation)) return undefined;
  const { query, operationName, variables, extensions } = operation as Record<string, unknown>;
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  if (typeof query !== "string" && typeof hash !== "string") return undefined;
  const viewer = context.viewer ? `${context.viewer.userId}:${context.viewer.role}` : "";
  const variablesText = typeof variables === "string" ? variables : JSON.stringify(variables ?? null);
  // The parts themselves, not a digest of them: a Map hashes a string natively, faster than any
  // crypto digest, and the store counts the key's length in its bytes. NUL cannot occur in a header,
  // a name or JSON text, so no two requests share a key.
  return [viewer, context.locale, accept ?? "", String(operationName ?? ""), String(hash ?? ""), variablesText, String(query ?? "")].join("\0");
}
