/**
 * The only reader of process.env: every setting is parsed and validated here, with safe defaults.
 * Other modules receive a Config value, so tests can build one without touching the environment.
 */
import path from "node:path";
import { z } from "zod";
import { isAddressOrCidr } from "./net/address-policy.ts";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((v) => v === "true" || v === "1" || v === "yes" || v === "on");

/** "https://a.ro, https://b.ro" → ["https://a.ro", "https://b.ro"] */
const list = z.string().transform((raw) => raw.split(",").map((v) => v.trim()).filter(Boolean));

/** "moderator=300,taita=0" → { moderator: 300, taita: 0 }: a rate (≥ 0) by agent name. */
const ratesByAgent = z.string().transform((raw, ctx) => {
  const rates: Record<string, number> = {};
  for (const pair of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [name, value, extra] = pair.split("=").map((v) => v.trim());
    const rate = Number(value);
    if (!name || !/^[a-z][a-z0-9-]{1,39}$/.test(name) || !value || extra !== undefined || !Number.isFinite(rate) || rate < 0) {
      ctx.addIssue({ code: "custom", message: `expected agent=runs per second (a number ≥ 0, 0 = unpaced), got "${pair}"` });
      return z.NEVER;
    }
    rates[name] = rate;
  }
  return rates;
});

/** "users=http://127.0.0.1:4001/graphql,listings=http://…" → { users: "http://…", … } */
const subgraphUrls = z
  .string()
  .transform((raw, ctx) => {
    const urls: Record<string, string> = {};
    for (const pair of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
      const [name, url] = pair.split("=");
      if (!name || !url || !URL.canParse(url)) {
        ctx.addIssue({ code: "custom", message: `expected name=url, got "${pair}"` });
        return z.NEVER;
      }
      urls[name] = url;
    }
    return urls;
  });

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** PostgreSQL server; when absent the embedded PGlite under DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(".data"),
  /** HS256 secret, ≥ 32 characters; generated once and kept in DATA_DIR when not given. */
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Load the Romanian demo data when the database is first created (default: on, except in production). */
  DEMO_DATA: bool.optional(),
  /** Gateway in distributed mode: subgraph endpoints. Absent → all subgraphs run in-process. */
  SUBGRAPH_URLS: subgraphUrls.optional(),
  /** graphql-ws: time a new socket has to send connection_init (then 4408), and the keep-alive ping interval. */
  WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3_000),
  WS_KEEPALIVE_MS: z.coerce.number().int().min(0).default(12_000),
  /** Operations open at once on one socket: an app follows its chats, badge and agent runs with a handful. */
  MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).default(20),
  /** Events a subscriber may fall behind by before its socket is dropped (1008). */
  MAX_QUEUED_EVENTS: z.coerce.number().int().min(1).default(100),
  /** A subgraph process in distributed mode: the gateway's /graphql, for facts other subgraphs own (lib/graph-client.ts). */
  GATEWAY_URL: z.string().url().optional(),
  /**
   * A client's request body. The largest honest one is a createListing: a 20 KB document at most
   * (MAX_DOCUMENT_BYTES) and a 9,000-character description (≤ 36 KB in UTF-8) with its attributes; a
   * cap near that refuses a bloated body from its Content-Length, before reading or parsing it.
   */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(100_000),
  /** A subgraph's request body: the gateway's fetches carry up to MAX_RESPONSE_OBJECTS representations. */
  /**
   * Seconds a GraphQL request's body may take to arrive (then 408): a client trickling bytes holds a
   * socket no longer than this. Uploads have their own, longer time (MEDIA_UPLOAD_TIMEOUT_SECONDS).
   */
  BODY_TIMEOUT_SECONDS: z.coerce.number().min(0.1).default(30),
  SUBGRAPH_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(5_000_000),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  LISTING_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  /**
   * "agent": publishing puts a listing in PENDING_REVIEW and the moderator agent decides. "off":
   * published listings go live at once (a deployment without agents; most stack tests).
   */
  LISTING_MODERATION: z.enum(["agent", "off"]).default("agent"),
  /** importListings: sellers' partner feeds fetched by the manus agent, drafts created from them. */
  LISTING_IMPORTS: bool.default(true),
  /** Fixed rate used to compare RON and EUR prices in filters and sorting. */
  EUR_RON_RATE: z.coerce.number().positive().default(4.97),
  /** Report SQL statements per request in the x-sql-statements header (never in production). */
  EXPOSE_SQL_COUNT: bool.optional(),
  /** Bearer token for GET /metrics; in production /metrics answers 404 without it (open elsewhere). */
  METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * Gateway processes sharing the port (lib/replicas.ts): one per core uses every core. Above 1 needs
   * DATABASE_URL and REDIS_URL, as separate gateways do: the processes share no memory.
   */
  GATEWAY_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** Shared store for rate-limit counters (and, later, pub/sub): needed once there are 2+ gateways. */
  REDIS_URL: z.string().url().optional(),
  /**
   * Which proxies to believe about the client address (X-Forwarded-For): a hop count ("1") or
   * addresses/subnets ("loopback, 10.0.0.0/8"), as proxy-addr reads them. Empty: only the socket.
   */
  TRUST_PROXY: z.string().default(""),
  /** Browser origins allowed to call the API cross-site (CORS); empty: same origin only. */
  CORS_ORIGINS: list.default([]),
  /** Schema introspection (default: on, except in production). */
  INTROSPECTION: bool.optional(),
  /** Shared secret subgraph processes require from the gateway; derived from JWT_SECRET when absent. */
  SUBGRAPH_SECRET: z.string().min(32).optional(),
  /** Persisted operations: "apq" (a hash may stand for a document sent before), "only" (the manifest's operations only), "off". */
  PERSISTED_OPERATIONS: z.enum(["apq", "only", "off"]).default("apq"),
  /** Apollo persisted query manifest; default gateway/persisted-operations.json. */
  PERSISTED_OPERATIONS_MANIFEST: z.string().optional(),
  // Query limits, checked before planning: the README's "Limits" table says why each default.
  MAX_DOCUMENT_BYTES: z.coerce.number().int().min(100).default(20_000),
  MAX_TOKENS: z.coerce.number().int().min(10).default(2_000),
  MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  MAX_ROOT_FIELDS: z.coerce.number().int().min(1).default(20),
  MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  MAX_COST: z.coerce.number().int().min(1).default(5_000),
  /** Size assumed for a list field that declares neither @listSize nor a slicing argument. */
  DEFAULT_LIST_SIZE: z.coerce.number().int().min(1).default(10),
  /** Batched HTTP requests (a JSON array of operations): 0 refuses them, N allows up to N. */
  BATCH_MAX_OPERATIONS: z.coerce.number().int().min(0).default(0),
  // The second line of defence, for any query within the limits.
  EXECUTION_DEADLINE_MS: z.coerce.number().int().min(10).default(10_000),
  MAX_RESPONSE_OBJECTS: z.coerce.number().int().min(10).default(20_000),
  MAX_RESPONSE_BYTES: z.coerce.number().int().min(1024).default(5_000_000),
  /** The gateway's response cache (gateway/cache/): its memory bound in bytes; 0 turns it off. */
  RESPONSE_CACHE_MAX_BYTES: z.coerce.number().int().min(0).default(64 * 1024 * 1024),
  /**
   * The response cache's shared tier: "redis" keeps answers in Redis too, so every gateway answers
   * from what any of them stored (default with REDIS_URL; needs it); "off": this process's memory only.
   */
  RESPONSE_CACHE_SHARED: z.enum(["redis", "off"]).optional(),
  // Rate limits (requests per window), per user when signed in, else per client IP.
  RATE_LIMIT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_MUTATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Sign-in attempts per account and per IP in 15 minutes (brute force), sign-ups per IP an hour. */
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_SIGN_IN_PER_IP: z.coerce.number().int().min(1).default(50),
  RATE_LIMIT_SIGN_UP_PER_IP: z.coerce.number().int().min(1).default(20),
  /** Chat messages a user may send a minute (startConversation included): a person typing sends a few. */
  CHAT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** How often the moderator agent is sent the chat's new messages to flag scams (0: never). */
  CHAT_SCAN_INTERVAL_SECONDS: z.coerce.number().min(0).default(60),
  /**
   * Where agent runs are worked: in this process ("in-process", embedded mode and a lone agents
   * process) or only by `npm run start:worker` processes ("off" on the agents API process).
   */
  AGENT_WORKERS: z.enum(["in-process", "off"]).default("in-process"),
  /** A folder of more agent modules (tests bring their own agents this way). */
  AGENTS_EXTRA_DIR: z.string().optional(),
  /** How often an idle agent worker asks the job queue for runs (pg-boss: 0.5 s at least). */
  AGENT_POLLING_INTERVAL_SECONDS: z.coerce.number().min(0.5).default(1),
  /**
   * A run's lease is its agent's timeout plus this: past it, pg-boss takes the run for dead and
   * retries it. Room for a worker to report a run it just aborted (tests shorten it).
   */
  AGENT_LEASE_MARGIN_SECONDS: z.coerce.number().int().min(1).default(30),
  /**
   * Runs an agent may start per second in each process that works runs, by agent: "moderator=300".
   * Overrides the agent's own pace (the moderator's is 300/s); 0 = unpaced. A burst then drains at
   * this rate and leaves the rest of the CPU to the API (subgraphs/agents/runtime/pacing.ts).
   */
  AGENT_MAX_RUNS_PER_SECOND: ratesByAgent.default({}),
  /**
   * The CPU priority (nice, 0–19) of an agent worker process (`npm run start:worker`), every thread of
   * it: where workers share cores with the API, the API's requests come first and the runs take what
   * is left. A 10,000-run burst beside the gateway on 2 cores: browse p99 2.5× idle at nice 0, 2.0× at
   * 10, runs/s the same (bench/results/agents-2026-12-03-h50-summary.md). 0 on a machine of its own.
   */
  AGENT_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** How often pg-boss's maintenance runs: expiring dead workers' leases, archiving old jobs. */
  JOB_QUEUE_MAINTENANCE_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(30),
  /** An OpenAI-compatible chat-completions endpoint for the agents (…/v1); absent: agents work without an LLM. */
  LLM_BASE_URL: z
    .string()
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol) && !new URL(u).username && !new URL(u).password, "expected an http(s) URL without credentials (the key goes in LLM_API_KEY)")
    .optional(),
  /** Its bearer key, when it asks for one (a local server may not). */
  LLM_API_KEY: z.string().min(1).optional(),
  /** The model to ask (required with LLM_BASE_URL). */
  LLM_MODEL: z.string().min(1).optional(),
  /** How long one completion may take (within the copywriter's 60 s run timeout). */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(45_000),
  /**
   * Outbound requests of agents (manus fetching partner feeds) reach public addresses on ports 80 and
   * 443 only. These open more: addresses or CIDRs (a partner mirror inside the network; the tests'
   * own server on 127.0.0.2) and ports. Cloud metadata addresses stay refused whatever is listed.
   */
  AGENT_FETCH_ALLOWED_ADDRESSES: list
    .refine((entries) => entries.every(isAddressOrCidr), "expected IP addresses or CIDRs, comma-separated")
    .default([]),
  AGENT_FETCH_ALLOWED_PORTS: list
    .transform((ports) => ports.map(Number))
    .refine((ports) => ports.length > 0 && ports.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535), "expected port numbers, comma-separated")
    .default([80, 443]),
  /**
   * The API's own record per GraphQL operation (count, p95, SQL statements) and per SQL statement,
   * merged into the database (ObservedOperation, ObservedStatement) this often; taita and phitagora read it.
   */
  OPERATION_RECORDER: bool.default(true),
  OPERATION_RECORDER_FLUSH_SECONDS: z.coerce.number().min(0.1).default(60),
  /** How often the search subgraph looks for newly published listings to match against saved searches. */
  SEARCH_ALERTS_INTERVAL_MS: z.coerce.number().int().min(10).default(500),
  /** Sellers' phone numbers a user may be shown an hour (Listing.contactPhone): a buyer calls a few, a scraper wants thousands. */
  PHONE_REVEALS_PER_HOUR: z.coerce.number().int().min(1).default(30),
  // Photos (lib/media, gateway/media; issue 10).
  /**
   * The public origin clients reach the API at ("https://api.piata.ro"), put before media URLs
   * (Image.url). Absent: root-relative paths ("/media/…"), resolved against the API's own address.
   */
  PUBLIC_URL: z
    .string()
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), "expected an http(s) origin")
    .transform((u) => u.replace(/\/+$/, ""))
    .optional(),
  /**
   * Seconds a whole request may take to arrive — what uploads need: 15 MB over a 1 Mbit/s mobile link
   * takes two minutes. GraphQL bodies are held to BODY_TIMEOUT_SECONDS on top of it.
   */
  MEDIA_UPLOAD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(300),
  /** An upload's size limit (POST /uploads), checked while it streams in: 15 MB holds any phone photo. */
  MEDIA_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(15 * 1024 * 1024),
  /**
   * Pixels of an image, read from its header before anything is decoded: a 20,000 × 20,000 "pixel
   * bomb" of a few KB would need 1.6 GB decoded. 50 MP passes any phone photo (12–48 MP).
   */
  MEDIA_MAX_INPUT_PIXELS: z.coerce.number().int().min(1).default(50_000_000),
  /**
   * While photos arrive, the gateway's old generation may grow by this share of what the last full
   * collection kept before the next one (V8's --heap-growing-percent; gateway/media/heap-room.ts); 0
   * leaves the factor to V8 always.
   */
  GC_HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(300).default(50),
  /** Photos made at a time by the photo process (sharp); default: the cores but one, at least 1. */
  MEDIA_WORKERS: z.coerce.number().int().min(1).optional(),
  /** Uploads waiting for a worker; past it POST /uploads answers 503 with Retry-After (memory stays bounded). */
  MEDIA_QUEUE_LIMIT: z.coerce.number().int().min(0).default(16),
  /** Uploads a user may send a minute (a listing has up to 12 photos). */
  RATE_LIMIT_UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /**
   * Photo URLs a client may ask for a minute that name no photo (GET /media): each such id is a
   * database read; photos found cost nothing, so a page of thumbnails never meets the limit.
   */
  RATE_LIMIT_MEDIA_MISSES_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** How long a chat photo's signed URL works at least (it is valid for up to twice this). */
  MEDIA_SIGNED_URL_TTL_SECONDS: z.coerce.number().int().min(10).default(3600),
  /** How often the sweeper deletes never-attached (24 h) and detached uploads and their unused files; 0: never. */
  MEDIA_SWEEP_INTERVAL_SECONDS: z.coerce.number().min(0).default(3600),
  /**
   * Photos in an S3-compatible object store instead of DATA_DIR/media (distributed mode: the gateway
   * replicas share no disk). Set the bucket and its endpoint, region and keys; path-style requests.
   */
  MEDIA_S3_BUCKET: z.string().min(3).optional(),
  MEDIA_S3_ENDPOINT: z.string().url().optional(),
  MEDIA_S3_REGION: z.string().min(1).default("us-east-1"),
  MEDIA_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  MEDIA_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
});

export type Config = Omit<z.infer<typeof schema>, "DATA_DIR" | "EXPOSE_SQL_COUNT" | "DEMO_DATA" | "INTROSPECTION" | "RESPONSE_CACHE_SHARED"> & {
  RESPONSE_CACHE_SHARED: "redis" | "off";
  DATA_DIR: string;
  DEMO_DATA: boolean;
  EXPOSE_SQL_COUNT: boolean;
  INTROSPECTION: boolean;
  isProduction: boolean;
};

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  const isProduction = c.NODE_ENV === "production";
  if (isProduction && c.DEMO_DATA) {
    // The demo admin's password is printed in the README: a production database must never have it.
    throw new Error("Invalid configuration:\n  DEMO_DATA: demo data (with the README's admin password) is refused in production");
  }
  if (c.MEDIA_S3_BUCKET && (!c.MEDIA_S3_ENDPOINT || !c.MEDIA_S3_ACCESS_KEY_ID || !c.MEDIA_S3_SECRET_ACCESS_KEY)) {
    throw new Error("Invalid configuration:\n  MEDIA_S3_BUCKET: needs MEDIA_S3_ENDPOINT, MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY");
  }
  if (c.RESPONSE_CACHE_SHARED === "redis" && !c.REDIS_URL) throw new Error("Invalid configuration:\n  RESPONSE_CACHE_SHARED: \"redis\" needs REDIS_URL");
  if (c.GATEWAY_PROCESSES > 1 && !c.DATABASE_URL) {
    throw new Error("Invalid configuration:\n  GATEWAY_PROCESSES: above 1 needs DATABASE_URL (an embedded PGlite database belongs to one process)");
  }
  if (c.GATEWAY_PROCESSES > 1 && !c.REDIS_URL) {
    throw new Error("Invalid configuration:\n  GATEWAY_PROCESSES: above 1 needs REDIS_URL (caches, live events, revoked sessions and rate limits are shared through it)");
  }
  if (c.LLM_BASE_URL && !c.LLM_MODEL) throw new Error("Invalid configuration:\n  LLM_MODEL: required with LLM_BASE_URL (the model to ask)");
  return {
    ...c,
    DATA_DIR: path.resolve(c.DATA_DIR),
    DEMO_DATA: c.DEMO_DATA ?? !isProduction,
    EXPOSE_SQL_COUNT: !isProduction && (c.EXPOSE_SQL_COUNT ?? true),
    RESPONSE_CACHE_SHARED: c.RESPONSE_CACHE_SHARED ?? (c.REDIS_URL ? "redis" : "off"),
    INTROSPECTION: c.INTROSPECTION ?? !isProduction,
    isProduction,
  };
}

/**
 * @apollo/gateway reads APOLLO_TELEMETRY_DISABLED straight from the environment; unless told otherwise
 * it starts an OpenTelemetry exporter that probes cloud metadata endpoints and sends usage data to
 * Apollo. An operator who wants it sets the variable to "false" explicitly.
 */
export function disableVendorTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED ??= "true";
}
