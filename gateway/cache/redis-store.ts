/**
 * The response cache's second tier in distributed mode (REDIS_URL, RESPONSE_CACHE_SHARED=redis):
 * answers kept in Redis so that gateway B answers from what gateway A stored. The in-process LRU
 * (store.ts) stays the first tier: a local hit costs no round trip; a local miss asks Redis here, and
 * a Redis hit fills the local tier (response-cache.ts).
 *
 * Keys, all under `rc:<namespace>:<epoch>:`: `a:<sha256 of the request's key>` holds an answer (a
 * header in JSON, then the body) with the answer's maxAge as its TTL; `t:<tag>` is a sorted set of
 * the answers stored under that tag, scored by when they expire (expired members are pruned on each
 * store; the set's own TTL follows its longest-lived answer). Besides: `rc:<namespace>:g`, the purge
 * generation; `rc:<namespace>:p:<tag>`, the generation of the tag's last purge (kept 60 s);
 * `rc:<namespace>:e`, the epoch. The namespace is a digest of the supergraph and the database's
 * identity (namespaceOf): gateways share answers only when they serve the same schema from the same
 * data; deployments (or test stacks) sharing one Redis never see each other's answers.
 *
 * Race safety across processes. A request that began before a purge of one of its tags may finish
 * after it with what it read before: that answer must never be stored. Generations, not clocks: the
 * lookup (one script) returns the purge generation with the answer, before the request reads any
 * data; a purge (one script: a new generation, the tag's note, its answers deleted) runs atomically;
 * the store (one script) refuses when any tag's note is newer than the generation the request read.
 * So either the store ran before the purge (and the purge deletes it) or after it (and it is refused).
 * No clock of another host is compared with ours: the only time measured is how long our own request
 * ran, and a request older than the notes' 60 s never stores (as in store.ts). A request with no
 * generation — its lookup failed, timed out, or was skipped — does not store in Redis at all. Every
 * gateway that hears a purge (lib/cache-purges.ts) runs it here: the first deletes, the others find
 * nothing (harmless); a gateway's lookups and purges share one connection, so a gateway that heard a
 * purge never reads the purged answer back from Redis. The generation never goes backwards, even if
 * Redis restarts empty: it is at least Redis's clock in ms.
 *
 * Clearing: an epoch bump (O(1)) makes every answer unreachable (they expire within their maxAge,
 * ≤ 60 s) and refuses every store whose lookup read the previous epoch. A gateway bumps it when it
 * starts (what changed while it was down may not have been announced: its restart is as stale-free
 * as without Redis) and when it hears `everything` (its Redis connection came back: purges it may have
 * missed may also have reached no other gateway — if Redis was away for all, no one purged it here).
 * Purges that failed here (Redis away) are retried when this connection is ready again; past 10,000
 * pending tags, the epoch is bumped instead.
 *
 * Bounded: every answer expires with its maxAge; no answer larger than maxValueBytes is sent; keys are
 * digests (bounded length); notes expire after 60 s; tag sets hold only live answers' digests.
 *
 * Failures never fail or stall a request: a lookup waits at most `timeoutMs` (50 ms; a reply already
 * received when the timer fires still counts, so a busy event loop is not taken for a slow Redis) and
 * then counts as a miss; after an error or a timeout, lookups and stores skip Redis for a second (purges are
 * always tried). Errors are counted (`errors`) and logged once per burst. Needs a single Redis (the
 * scripts build key names themselves: not Redis Cluster).
 */
import { createHash } from "node:crypto";
import type { Logger } from "../../lib/logger.ts";
import type { Redis } from "../../lib/redis.ts";
import type { CachedAnswer } from "./store.ts";

export interface SharedStoreOptions {
  namespace: string;
  /** A lookup slower than this counts as a miss. */
  timeoutMs?: number;
  /** Answers larger than this are not kept in Redis. */
  maxValueBytes?: number;
  /** How long a purge's note lasts: longer than any request that may still store. */
  purgeMemoryMs?: number;
  /** After an error or a timeout, lookups and stores leave Redis alone this long. */
  backoffMs?: number;
}

export interface SharedLookup {
  /** The purge generation and epoch at the lookup: what a later store() must pass. */
  since: SharedSince;
  answer?: CachedAnswer;
  /** Milliseconds the answer has left to live. */
  ttlMs?: number;
}

export interface SharedSince {
  generation: number;
  epoch: string;
}

const DEFAULTS = { timeoutMs: 50, maxValueBytes: 512 * 1024, purgeMemoryMs: 60_000, backoffMs: 1000 };
const MAX_PENDING_TAGS = 10_000;
/** Errors are logged at most once per this many ms (a burst), with how many there were. */
const LOG_EVERY_MS = 10_000;

// KEYS: generation, epoch. ARGV: namespace prefix, entry digest.
// Returns { generation, epoch, answer or false, its TTL in ms }.
const LOOKUP = `
local generation = redis.call('GET', KEYS[1])
if not generation then
  local t = redis.call('TIME')
  generation = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - 1)
end
local epoch = redis.call('GET', KEYS[2]) or '0'
local key = ARGV[1] .. epoch .. ':a:' .. ARGV[2]
local answer = redis.call('GET', key)
local ttl = -2
if answer then ttl = redis.call('PTTL', key) end
return { generation, epoch, answer or false, ttl }
`;

// KEYS: epoch. ARGV: namespace prefix, epoch read at lookup, generation read at lookup, TTL ms,
// answer, entry digest, tags… Returns 1 when stored, 0 when refused.
const STORE = `
local epoch = redis.call('GET', KEYS[1]) or '0'
if epoch ~= ARGV[2] then return 0 end
local since = tonumber(ARGV[3])
for i = 7, #ARGV do
  local note = redis.call('GET', ARGV[1] .. 'p:' .. ARGV[i])
  if note and tonumber(note) > since then return 0 end
end
local ttl = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix = ARGV[1] .. epoch .. ':'
redis.call('SET', prefix .. 'a:' .. ARGV[6], ARGV[5], 'PX', ttl)
for i = 7, #ARGV do
  local tag = prefix .. 't:' .. ARGV[i]
  redis.call('ZADD', tag, now + ttl, ARGV[6])
  redis.call('ZREMRANGEBYSCORE', tag, '-inf', now)
  if redis.call('PTTL', tag) < ttl then redis.call('PEXPIRE', tag, ttl) end
end
return 1
`;

// KEYS: generation, epoch. ARGV: namespace prefix, note TTL ms, tags… Returns answers deleted.
const PURGE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local generation = math.max(tonumber(redis.call('GET', KEYS[1]) or '0') + 1, now)
redis.call('SET', KEYS[1], string.format('%d', generation))
local prefix = ARGV[1] .. (redis.call('GET', KEYS[2]) or '0') .. ':'
local deleted = 0
for i = 3, #ARGV do
  redis.call('SET', ARGV[1] .. 'p:' .. ARGV[i], string.format('%d', generation), 'PX', tonumber(ARGV[2]))
  local tag = prefix .. 't:' .. ARGV[i]
  for _, digest in ipairs(redis.call('ZRANGE', tag, 0, -1)) do
    deleted = deleted + redis.call('UNLINK', prefix .. 'a:' .. digest)
  end
  redis.call('UNLINK', tag)
end
return deleted
`;

// KEYS: generation, epoch. A new epoch: every answer unreachable, every pending store refused.
const CLEAR = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local generation = math.max(tonumber(redis.call('GET', KEYS[1]) or '0') + 1, now)
redis.call('SET', KEYS[1], string.format('%d', generation))
return redis.call('INCR', KEYS[2])
`;

type ScriptCall = (...args: (string | number | Buffer)[]) => Promise<unknown>;

/** The namespace of a deployment's answers: the same schema over the same data. */
export function namespaceOf(...identity: string[]): string {
  return createHash("sha256").update(identity.join("\0")).digest("base64url").slice(0, 16);
}

/** The Redis digest of a response cache key. */
export function digestOf(key: string): string {
  return createHash("sha256").update(key).digest("base64url");
}

export class RedisAnswerStore {
  readonly counts = { errors: 0 };
  private readonly options: Required<SharedStoreOptions>;
  private readonly prefix: string;
  private readonly keys: { generation: string; epoch: string };
  private readonly lookupScript: ScriptCall;
  private readonly storeScript: ScriptCall;
  private readonly purgeScript: ScriptCall;
  private readonly clearScript: ScriptCall;
  private downUntil = 0;
  private lastLogged = 0;
  private unlogged = 0;
  private readonly pendingTags = new Set<string>();
  private pendingClear = false;
  private retrying = false;
  private readonly onReady = () => void this.retryPending();

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    options: SharedStoreOptions,
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.prefix = `rc:${options.namespace}:`;
    this.keys = { generation: `${this.prefix}g`, epoch: `${this.prefix}e` };
    const define = (name: string, lua: string, numberOfKeys: number): ScriptCall => {
      if (!(name in redis)) redis.defineCommand(name, { lua, numberOfKeys });
      const commands = redis as unknown as Record<string, ScriptCall>;
      return (...args) => commands[`${name}Buffer`]!.call(redis, ...args);
    };
    this.lookupScript = define("responseCacheLookup", LOOKUP, 2);
    this.storeScript = define("responseCacheStore", STORE, 1);
    this.purgeScript = define("responseCachePurge", PURGE, 2);
    this.clearScript = define("responseCacheClear", CLEAR, 2);
    redis.on("ready", this.onReady);
  }

  get maxValueBytes(): number {
    return this.options.maxValueBytes;
  }

  /** The answer kept under this digest, with the generation a later store() passes; undefined: Redis failed or is slow (a miss). */
  async get(digest: string): Promise<SharedLookup | undefined> {
    if (Date.now() < this.downUntil) return undefined;
    let timer: NodeJS.Timeout | undefined;
    // Past the timeout, the reply may already be waiting in the socket while this process was busy
    // (event-loop lag is not a slow Redis): setImmediate lets this turn's I/O settle the race first.
    const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => setImmediate(resolve, "timeout"), this.options.timeoutMs)));
    const lookup = this.lookupScript(this.keys.generation, this.keys.epoch, this.prefix, digest) as Promise<[Buffer, Buffer, Buffer | null, number]>;
    try {
      const reply = await Promise.race([lookup, timeout]);
      if (reply === "timeout") {
        lookup.catch(() => {}); // answered later or never: nobody waits for it
        this.failed(new Error(`Redis lookup slower than ${this.options.timeoutMs} ms`));
        return undefined;
      }
      const [generation, epoch, value, ttlMs] = reply;
      const since = { generation: Number(generation.toString()), epoch: epoch.toString() };
      if (!value || ttlMs <= 0) return { since };
      return { since, answer: decode(value), ttlMs };
    } catch (error) {
      this.failed(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Keeps the answer unless one of its tags was purged since the lookup that returned `since`, or it
   * is larger than maxValueBytes. Never throws; resolves to whether it was kept.
   */
  async set(digest: string, answer: CachedAnswer, since: SharedSince, ttlMs: number): Promise<boolean> {
    if (Date.now() < this.downUntil || ttlMs < 1) return false;
    const value = encode(answer);
    if (value.length > this.options.maxValueBytes) return false;
    try {
      const stored = await this.storeScript(this.keys.epoch, this.prefix, since.epoch, since.generation, Math.ceil(ttlMs), value, digest, ...answer.tags);
      return stored === 1;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  /** Drops the answers stored under any of these tags and notes the purge (refusing older requests' stores). */
  async purge(tags: Iterable<string>): Promise<number> {
    const list = [...tags];
    if (!list.length) return 0;
    try {
      return Number(await this.purgeScript(this.keys.generation, this.keys.epoch, this.prefix, this.options.purgeMemoryMs, ...list));
    } catch (error) {
      this.failed(error);
      for (const tag of list) this.pendingTags.add(tag);
      if (this.pendingTags.size > MAX_PENDING_TAGS) {
        this.pendingTags.clear();
        this.pendingClear = true;
      }
      return 0;
    }
  }

  /** Makes every answer of the namespace unreachable (a new epoch). Retried when Redis is back if it fails. */
  async clear(): Promise<void> {
    try {
      await this.clearScript(this.keys.generation, this.keys.epoch);
    } catch (error) {
      this.failed(error);
      this.pendingClear = true;
      this.pendingTags.clear();
    }
  }

  close(): void {
    this.redis.off("ready", this.onReady);
  }

  private async retryPending(): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    try {
      if (this.pendingClear) {
        this.pendingClear = false;
        await this.clear();
      } else if (this.pendingTags.size) {
        const tags = [...this.pendingTags];
        this.pendingTags.clear();
        await this.purge(tags);
      }
    } finally {
      this.retrying = false;
    }
  }

  private failed(error: unknown): void {
    this.counts.errors++;
    const now = Date.now();
    this.downUntil = now + this.options.backoffMs;
    if (now - this.lastLogged < LOG_EVERY_MS) {
      this.unlogged++;
      return;
    }
    this.log.warn({ err: error, alsoSince: this.unlogged }, "response cache: Redis failed; answering without it");
    this.lastLogged = now;
    this.unlogged = 0;
  }
}

type Header = Omit<CachedAnswer, "body">;

function encode(answer: CachedAnswer): Buffer {
  const { body, ...rest } = answer;
  const header = Buffer.from(JSON.stringify(rest satisfies Header));
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([length, header, body]);
}

function decode(value: Buffer): CachedAnswer {
  const length = value.readUInt32BE(0);
  const header = JSON.parse(value.subarray(4, 4 + length).toString()) as Header;
  return { ...header, body: value.subarray(4 + length) };
}
