/**
 * `npm run bench:gateway -- --suite protections`: what the gateway's protections (the "Safe to expose"
 * issue: limits before planning, per-request deadline and object cap, rate limits, security headers,
 * CORS) cost a normal client, and how fast they refuse an attack. Three parts, on each data set and
 * database:
 *
 *   onoff     BROWSE and LISTING_PAGE throughput with every protection on and off (this checkout), and on
 *             the gateways of a commit and of its parent (baseline): by default the commit that added the
 *             protections; with --protections-commit <rev> any other (then commit / baseline is what that
 *             commit changed, described by --compare-label, not what the protections cost). The gateways
 *             run side by side on the same data, and the load goes to one at a time in short slices,
 *             round after round, the order reversed every other round
 *   refusals  every attack document sent N times, one request at a time: latency of each refusal, the
 *             gateway's CPU per refusal, and a check of every answer (status and extensions.code); where
 *             the gateway answers with Connection: close (a 413 from the Content-Length: it stops reading
 *             the body there), a new connection per request (bench/send.ts), the close not an error
 *   profile   the "on" gateway under --cpu-prof: the share of its CPU each protection's code takes
 *   attack    BROWSE at a fixed concurrency, idle, then with a second load generator sending the 6-level
 *             fan-out at a fixed rate, then idle again; the gateway must still answer /healthz after
 *
 * "off" is a switch of settings only: the gateway has no way to run without its protections, so every
 * limit is set so high that it never refuses (OFF_ENV); the checks themselves still run, the rate
 * limiter still counts, helmet and CORS still set their headers. What the protections cost in all is
 * what the commit that added them costs against its parent (snapshots of both, `git archive`, run with
 * this checkout's node_modules), and, in this checkout, what the CPU profile shows (part "profile").
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DATA_ROOT, repoRoot, type PreparedDataset } from "./datasets.ts";
import {
  CLK_TCK,
  cpuProbeMs,
  getStatus,
  git,
  quietMethod,
  isRunning,
  measure,
  round2,
  round3,
  runWorker,
  serverEnv,
  startServer,
  withServers,
  type GraphQLReply,
  type Measured,
  type Meta,
  type Server,
} from "./harness.ts";
import type { LoadResult, LoadSpec } from "./load-worker.ts";
import { check, pickListing, QUERIES, requestBody, type QueryName } from "./operations.ts";
import { sendOnNewConnection } from "./send.ts";
import { inclusiveShares, readProfile, type FrameMatcher, type InclusiveShares } from "./profile-top.ts";

export const PROTECTION_PARTS = ["onoff", "profile", "refusals", "attack"] as const;
export type ProtectionPart = (typeof PROTECTION_PARTS)[number];
export const PROTECTION_DBS = ["pglite", "postgres"] as const;
export type ProtectionDb = (typeof PROTECTION_DBS)[number];

export interface ProtectionOptions {
  parts: ProtectionPart[];
  databases: ProtectionDb[];
  queries: QueryName[];
  /** onoff: rounds of on/off/baseline. */
  rounds: number;
  /** The commit compared with its parent (the baseline): "auto" (the one that added the protections), "none" or a revision. */
  protectionsCommit: string;
  /** What that commit changes, for the write-up (a revision other than "auto"): e.g. "operation and fetch cost cached per document". */
  compareLabel?: string;
  /** The results' name (--out): the profiles are saved under it. */
  outName?: string;
  refusalRequests: number;
  /** attack: the attack's requests per second, and the concurrency of the normal clients' BROWSE load. */
  attackRate: number;
  attackConnections: number;
  load: { connections: number; durationSeconds: number; warmupSeconds: number };
}

const VARIANTS = ["on", "off", "commit", "baseline"] as const;
type Variant = (typeof VARIANTS)[number];

const NEVER = String(1_000_000_000);
/** "off": every limit of lib/env.ts so high that it never refuses (rate limits: as for every run, serverEnv). */
export const OFF_ENV: Record<string, string> = {
  MAX_DOCUMENT_BYTES: NEVER,
  MAX_TOKENS: NEVER,
  MAX_DEPTH: NEVER,
  MAX_ALIASES: NEVER,
  MAX_ROOT_FIELDS: NEVER,
  MAX_DIRECTIVES: NEVER,
  MAX_COST: NEVER,
  BATCH_MAX_OPERATIONS: "1000",
  EXECUTION_DEADLINE_MS: String(3_600_000),
  MAX_RESPONSE_OBJECTS: NEVER,
  MAX_RESPONSE_BYTES: NEVER,
};

/** The commit and baseline labels name the commits when --protections-commit is a revision (setVariantLabels). */
const VARIANT_LABEL: Record<Variant, string> = {
  on: "on",
  off: "off (settings)",
  commit: "protections commit",
  baseline: "baseline (its parent)",
};

function setVariantLabels(snapshots: Snapshots | undefined): void {
  if (!snapshots || snapshots.addedProtections) return;
  VARIANT_LABEL.commit = `commit ${snapshots.commit.commit.slice(0, 7)}`;
  VARIANT_LABEL.baseline = `baseline ${snapshots.baseline.commit.slice(0, 7)} (its parent)`;
}

/** Which pairs the ratios compare: on / reference. */
const COMPARISONS: [Variant, Variant][] = [
  ["on", "off"],
  ["commit", "baseline"],
  ["on", "baseline"],
];

const DB_LABEL: Record<ProtectionDb, string> = { pglite: "embedded, PGlite", postgres: "embedded, PostgreSQL" };

// ---- the attack documents -------------------------------------------------------------------------------

interface Attack {
  id: string;
  label: string;
  /** Part of the issue's list, or an extra one (past one check, to reach the next). */
  extra?: boolean;
  /** The raw request body. */
  body: string;
  /** A refusal; an answer with data; or whatever the first answer is ("observe": a probe, reported as found). */
  expect: { status: number; code: string } | "data" | "observe";
}

const repeat = (n: number, f: (i: number) => string, sep = " ") => Array.from({ length: n }, (_, i) => f(i)).join(sep);
const op = (query: string, variables?: Record<string, unknown>) => JSON.stringify(variables ? { query, variables } : { query });

/** `{ listings(first: 1) { edges { node { seller { listings(first: 50) { … } } } } } }`, `levels` listings deep. */
function nestedFanout(levels: number): string {
  let selection = "id title";
  for (let level = levels; level >= 1; level--) {
    const node = level === levels ? selection : `seller { ${selection} }`;
    selection = `listings(first: ${level === 1 ? 1 : 50}) { edges { node { ${node} } } }`;
  }
  return `{ ${selection} }`;
}

/** A chain of fragments, each one a seller's listings deeper than the one before. */
function deepFragments(count: number): string {
  const fragments = repeat(
    count,
    (i) => (i === count - 1 ? `fragment F${i} on Listing { id title }` : `fragment F${i} on Listing { seller { listings(first: 1) { edges { node { ...F${i + 1} } } } } }`),
    "\n",
  );
  return `query DeepFragments { listings(first: 1) { edges { node { ...F0 } } } }\n${fragments}`;
}

/** Fragments on Query that each spread the one before twice: 2^count paths through a small document. */
function fragmentFanout(count: number): string {
  const fragments = repeat(count + 1, (i) => (i === 0 ? "fragment Q0 on Query { __typename }" : `fragment Q${i} on Query { ...Q${i - 1} ...Q${i - 1} }`), "\n");
  return `query FragmentFanout { ...Q${count} }\n${fragments}`;
}

const VARIABLE_FIRST = `query Fanout($n: Int!) { listings(first: $n) { edges { node { seller { listings(first: $n) { edges { node { id title } } } } } } } }`;
const MB = 1024 * 1024;

export const FANOUT_ATTACK = op(nestedFanout(6));

/**
 * The GraphQL-over-HTTP media type: a refusal of a document is a 4xx for a client that accepts it; one that
 * accepts only application/json (or sends no Accept) gets 200 with the errors (lib/http/apollo-handler.ts).
 */
const GRAPHQL_RESPONSE = { accept: "application/graphql-response+json" };
const LEGACY_JSON = { accept: "application/json" };

const ATTACKS: Attack[] = [
  { id: "fanout6", label: "6-level nested fan-out `listings(first: 1) › seller › listings(first: 50) …` ×6", body: FANOUT_ATTACK, expect: { status: 400, code: "QUERY_TOO_COMPLEX" } },
  { id: "aliases1000", label: "1,000 aliases `{ a0: __typename … a999: __typename }`", body: op(`{ ${repeat(1000, (i) => `a${i}: __typename`)} }`), expect: { status: 400, code: "QUERY_TOO_COMPLEX" } },
  { id: "variableFirst", label: "`first: $n` nested twice, variables `{ n: 100 }`", body: op(VARIABLE_FIRST, { n: 100 }), expect: { status: 400, code: "QUERY_TOO_COMPLEX" } },
  { id: "deepFragments", label: "deep fragments: 8 fragments, each a seller's listings deeper", body: op(deepFragments(8)), expect: { status: 400, code: "QUERY_TOO_COMPLEX" } },
  { id: "rootFields5000", label: "5,000 root fields `{ a0: __typename … a4999: __typename }`", body: op(`{ ${repeat(5000, (i) => `a${i}: __typename`)} }`), expect: { status: 400, code: "QUERY_TOO_COMPLEX" } },
  { id: "document2mb", label: "2 MB document (`{ __typename }` and a 2 MB comment)", body: op(`{ __typename }\n#${"x".repeat(2 * MB)}`), expect: { status: 413, code: "PAYLOAD_TOO_LARGE" } },
  { id: "batch", label: "batched array of 2 operations", body: JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]), expect: { status: 400, code: "BAD_REQUEST" } },
  { id: "aliases500", extra: true, label: "500 aliases of a real field `{ categories { a0: id … a499: id } }` (under the token cap)", body: op(`{ categories { ${repeat(500, (i) => `a${i}: id`)} } }`), expect: { status: 400, code: "QUERY_TOO_COMPLEX" } },
  { id: "typenameAliases500", extra: true, label: "500 aliases of `__typename` `{ a0: __typename … a499: __typename }` (under the token cap)", body: op(`{ ${repeat(500, (i) => `a${i}: __typename`)} }`), expect: "observe" },
  { id: "rootFields25", extra: true, label: "25 real root fields `{ c0: categories { id } … }` (under the alias cap)", body: op(`{ ${repeat(25, (i) => `c${i}: categories { id }`)} }`), expect: { status: 400, code: "QUERY_TOO_COMPLEX" } },
  { id: "fragmentFanout", extra: true, label: "fragment fan-out: 11 fragments on Query, each spreading the one before twice (2,048 paths)", body: op(fragmentFanout(11)), expect: "observe" },
  // BODY_LIMIT_BYTES is 100,000 since 3276475 (1,000,000 before): 900 KB is refused from its Content-Length now, 90 KB reaches the document cap.
  { id: "document900kb", extra: true, label: "900 KB document (over the 100 KB body cap)", body: op(`{ __typename }\n#${"x".repeat(900 * 1024)}`), expect: { status: 413, code: "PAYLOAD_TOO_LARGE" } },
  { id: "document90kb", extra: true, label: "90 KB document (under the 100 KB body cap, over the 20,000-byte document cap)", body: op(`{ __typename }\n#${"x".repeat(90 * 1024)}`), expect: { status: 400, code: "QUERY_TOO_COMPLEX" } },
  { id: "reference", extra: true, label: "reference: `{ __typename }`, answered", body: op("{ __typename }"), expect: "data" },
];

// ---- the protections commit and its parent (baseline), as snapshots ----------------------------------------

interface Snapshot {
  commit: string;
  subject: string;
  dir: string;
}

interface Snapshots {
  commit: Snapshot;
  baseline: Snapshot;
  /** The commit is the one that added the protections (gateway/limits/operation-limits.ts): --protections-commit auto. */
  addedProtections: boolean;
  compareLabel?: string;
  /** The baseline already has the protections (the commit that added them is one of its ancestors). */
  baselineProtected: boolean;
  /** Migrations this checkout has and the snapshots have not (it only adds to theirs). */
  schemaAdded: string[];
}

/**
 * The commit (by default the one that added the protections) and its parent, each a `git archive`
 * snapshot in the temp directory with this checkout's node_modules linked in and a Prisma client
 * generated from its own schema. Outside the repository: tsc and eslint must not see other copies of
 * the sources.
 */
function prepareSnapshots(setting: string, compareLabel: string | undefined): Snapshots | { skipped: string } {
  if (setting === "none") return { skipped: "--protections-commit none" };
  let commit: string;
  const added = git("log", "--format=%H", "--diff-filter=A", "--", "gateway/limits/operation-limits.ts").split("\n").filter(Boolean).pop();
  if (setting === "auto") {
    if (!added) return { skipped: "no commit adds gateway/limits/operation-limits.ts" };
    commit = added;
  } else {
    commit = git("rev-parse", "--verify", `${setting}^{commit}`);
  }
  const parent = git("rev-parse", `${commit}^`);
  const schemaAdded = new Set<string>();
  for (const rev of [commit, parent]) {
    // Every migration of the snapshot is in this checkout, unchanged: this checkout only adds migrations
    // (tables and columns the snapshot's code, with its own Prisma client, never reads), and each gateway
    // applies its own at start on the same data. A changed or removed migration: not the same database.
    const changes = git("diff", "--name-status", "--no-renames", rev, "--", "prisma/migrations").split("\n").filter(Boolean);
    const other = changes.filter((line) => !line.startsWith("A\t"));
    if (other.length) return { skipped: `the migrations differ between ${rev.slice(0, 10)} and this checkout (${other.join(", ")})` };
    for (const line of changes) schemaAdded.add(path.basename(path.dirname(line.slice(2))));
  }
  return {
    commit: snapshot(commit),
    baseline: snapshot(parent),
    addedProtections: commit === added,
    baselineProtected: !!added && spawnSync("git", ["merge-base", "--is-ancestor", added, parent], { cwd: repoRoot }).status === 0,
    compareLabel,
    schemaAdded: [...schemaAdded].sort(),
  };
}

/** What a finished snapshot directory holds in .bench-snapshot (older ones, with this checkout's client linked in, are made again). */
const SNAPSHOT_MARKER = (commit: string) => `${commit}\nown Prisma client\n`;

function snapshot(commit: string): Snapshot {
  const subject = git("log", "-1", "--format=%h %s", commit);
  const dir = path.join(os.tmpdir(), `piata-bench-snapshot-${commit.slice(0, 12)}`);
  const marker = path.join(dir, ".bench-snapshot");
  if (!(fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === SNAPSHOT_MARKER(commit))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const archive = spawnSync("git", ["archive", "--format=tar", commit], { cwd: repoRoot, maxBuffer: 512 * MB });
    if (archive.status !== 0) throw new Error(`git archive ${commit}: ${archive.stderr.toString()}`);
    const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
    if (untar.status !== 0) throw new Error(`tar -x into ${dir}: ${untar.stderr.toString()}`);
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
    // Its own Prisma client, from its own schema (this checkout's may have models and columns it does not
    // know), generated as postinstall does (package.json prisma:generate), with the prisma of node_modules.
    const generate = spawnSync(path.join(repoRoot, "node_modules/.bin/prisma"), ["generate"], {
      cwd: dir,
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath },
      encoding: "utf8",
    });
    if (generate.status !== 0) throw new Error(`prisma generate in ${dir}: ${generate.stderr}${generate.stdout}`);
    fs.writeFileSync(marker, SNAPSHOT_MARKER(commit));
  }
  return { commit, subject, dir };
}

// ---- records ---------------------------------------------------------------------------------------------

interface OnOffRun extends Measured {
  size: number;
  db: ProtectionDb;
  round: number;
  variant: Variant;
  query: QueryName;
}

interface RefusalRun extends Measured {
  size: number;
  db: ProtectionDb;
  attack: string;
  label: string;
  extra: boolean;
  bodyBytes: number;
  expected: Attack["expect"];
  /** The first answer (Accept: application/graphql-response+json), checked before the load. */
  answer: { status: number; code?: string; limit?: string; measured?: number | null; allowed?: number; message?: string; ms: number };
  /** The status a client that accepts only application/json gets for the same document. */
  legacyStatus: number;
  /**
   * The first answer said Connection: close (the gateway does not read the rest of the body): the load
   * then used a new connection per request (bench/send.ts), and the close is not an error.
   */
  serverCloses: boolean;
  /** Any answer that was not the expected one (status or code). */
  unexpected: number;
}

interface AttackPhase extends Measured {
  /** idle: BROWSE alone; attack: BROWSE with the attack alongside; after: BROWSE alone after the last attack. */
  phase: "idle" | "attack" | "after";
  round: number;
}

interface AttackRecord {
  size: number;
  db: ProtectionDb;
  phases: AttackPhase[];
  survived: { running: boolean; healthz: number; browseAfter: boolean };
}

interface ProfileRecord {
  size: number;
  db: ProtectionDb;
  query: QueryName;
  /** The profile's file, relative to the repository (not committed: *.cpuprofile is ignored). */
  file: string;
  load: Measured;
  shares: InclusiveShares;
}

interface SizeResult {
  size: number;
  dataset: PreparedDataset;
  listingIds: Partial<Record<ProtectionDb, string>>;
  onoff: OnOffRun[];
  profiles: ProfileRecord[];
  refusals: RefusalRun[];
  attacks: AttackRecord[];
  serverOutput: Record<string, string>;
}

// ---- running the gateways ------------------------------------------------------------------------------

function dbEnv(dataset: PreparedDataset, db: ProtectionDb): { DATABASE_URL: string } | { DATA_DIR: string } {
  return db === "pglite" ? { DATA_DIR: dataset.pglite.dataDir } : { DATABASE_URL: dataset.postgres.url };
}

function gatewayScript(variant: Variant, snapshots: Snapshots | undefined): string {
  return variant === "commit" || variant === "baseline" ? path.join(snapshots![variant].dir, "gateway/index.ts") : "gateway/index.ts";
}

function gatewayEnv(db: { DATABASE_URL: string } | { DATA_DIR: string }, variant: Variant): Record<string, string> {
  return { ...serverEnv("production", db), ...(variant === "off" ? OFF_ENV : {}) };
}

function keepOutputs(result: SizeResult, key: string, outputs: Record<string, string>): void {
  for (const [name, text] of Object.entries(outputs)) result.serverOutput[`${key}: ${name}`] = text;
}

/** Starts one embedded gateway of `variant` on the data set, runs `use`, stops it; its output is kept under `key`. */
async function withGateway<T>(result: SizeResult, db: ProtectionDb, variant: Variant, key: string, use: (gw: Server) => Promise<T>): Promise<T> {
  const { result: value, outputs } = await withServers(
    async (s) => void s.push(await startServer(`gateway ${VARIANT_LABEL[variant]}`, gatewayScript(variant, undefined), [], gatewayEnv(dbEnv(result.dataset, db), variant), "/readyz")),
    async ([gw]) => use(gw!),
  );
  keepOutputs(result, key, outputs);
  return value;
}

/**
 * Copies of the PGlite data set, one per variant (a PGlite directory belongs to one process, and the
 * variants run side by side): identical data, fresh for each run. Removed by the returned function.
 */
function pgliteCopies(dataset: PreparedDataset, variants: readonly Variant[]): { dirs: Record<string, string>; remove: () => void } {
  const dirs: Record<string, string> = {};
  for (const variant of variants) {
    const dir = path.join(DATA_ROOT, `pglite-${dataset.spec.size}-copy-${variant}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(path.join(dataset.pglite.dataDir, "pgdata"), path.join(dir, "pgdata"), { recursive: true });
    dirs[variant] = dir;
  }
  return { dirs, remove: () => Object.values(dirs).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })) };
}

async function listingIdFor(result: SizeResult, db: ProtectionDb, url: string): Promise<string> {
  return (result.listingIds[db] ??= await pickListing(url));
}

function loadSpec(url: string, body: string, options: ProtectionOptions, extra: Partial<LoadSpec> = {}): LoadSpec {
  return { url, body, connections: options.load.connections, durationSeconds: options.load.durationSeconds, ...extra };
}

function warmupOf(spec: LoadSpec, options: ProtectionOptions): LoadSpec | undefined {
  return options.load.warmupSeconds > 0 ? { ...spec, durationSeconds: options.load.warmupSeconds } : undefined;
}

function describeLoad(m: Measured): string {
  const l = m.load;
  const bad = l.errors + l.timeouts + l.non2xx + l.mismatches;
  const cpu = Object.entries(m.cpuMsPerRequest)
    .map(([name, ms]) => `${name} ${ms.toFixed(3)}`)
    .join(" + ");
  return (
    `${l.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${l.latencyMs.p50.toFixed(2)} ms  p99 ${l.latencyMs.p99.toFixed(2)} ms  CPU ms/req ${cpu}` +
    (m.postgresCpuMsPerRequest !== null ? ` (PostgreSQL ${m.postgresCpuMsPerRequest.toFixed(3)})` : "") +
    `  machine ${m.machineBusyPct}% (other ${m.otherLoadPct}%)` +
    (bad ? `  !! errors ${l.errors} timeouts ${l.timeouts} non-2xx ${l.non2xx} bad bodies ${l.mismatches}` : "")
  );
}

// ---- (a) on / off / baseline -----------------------------------------------------------------------------

/**
 * The variants' gateways run side by side (each on its own copy of the PGlite data, or on the same
 * PostgreSQL database), and the load goes to one at a time in short slices: round after round, each
 * variant and query for --duration seconds, the order reversed every other round. Others share this
 * machine; whatever they do then falls on every variant alike instead of on whichever ran at that moment.
 */
async function benchOnOff(result: SizeResult, db: ProtectionDb, options: ProtectionOptions, snapshots: Snapshots | undefined): Promise<void> {
  const variants = VARIANTS.filter((v) => (v !== "baseline" && v !== "commit") || snapshots);
  console.log(`  [${result.size}] (a) ${DB_LABEL[db]}: ${variants.join(", ")} side by side, ${options.rounds} round(s)`);
  const copies = db === "pglite" ? pgliteCopies(result.dataset, variants) : undefined;
  try {
    const { outputs } = await withServers(
      async (servers) => {
        for (const variant of variants) {
          const data = copies ? { DATA_DIR: copies.dirs[variant]! } : dbEnv(result.dataset, db);
          servers.push(await startServer(`gateway ${VARIANT_LABEL[variant]}`, gatewayScript(variant, snapshots), [], gatewayEnv(data, variant), "/readyz"));
        }
      },
      async (servers) => {
        const gateways = Object.fromEntries(variants.map((variant, i) => [variant, servers[i]!])) as Record<Variant, Server>;
        const listingId = await listingIdFor(result, db, gateways.on.graphqlUrl);
        for (const variant of variants) for (const query of options.queries) await check(gateways[variant].graphqlUrl, query, "gateway", listingId);
        for (let round = 1; round <= options.rounds; round++) {
          const order = round % 2 === 1 ? variants : [...variants].reverse();
          console.log(`    round ${round}/${options.rounds}: ${order.join(", ")}`);
          for (const variant of order) {
            const gw = gateways[variant];
            for (const query of options.queries) {
              const spec = loadSpec(gw.graphqlUrl, requestBody(query, "gateway", listingId), options);
              // The first slice warms the gateway up (JIT, caches, pools); later ones need a short run-in only.
              const warmup = round === 1 ? warmupOf(spec, options) : { ...spec, durationSeconds: Math.min(1, options.load.warmupSeconds) };
              const measured = await measure({ spec, warmup: warmup?.durationSeconds ? warmup : undefined }, { gateway: gw.pid }, db === "postgres");
              result.onoff.push({ size: result.size, db, round, variant, query, ...measured });
              console.log(`    ${variant.padEnd(8)} ${query.padEnd(7)} ${describeLoad(measured)}`);
            }
          }
        }
      },
    );
    keepOutputs(result, `onoff ${db}`, outputs);
  } finally {
    copies?.remove();
  }
}

// ---- where the "on" gateway spends its CPU: inclusive share of each protection in a CPU profile ----------------

/**
 * The code of each protection, by file (and function where a file also wraps other work). The cost
 * model (cost.ts, graphql-query-complexity) is counted under whichever calls it: the check before
 * planning (operation-limits.ts) or the admission of each subgraph fetch (fetch-cost.ts).
 */
export const PROTECTION_GROUPS: Record<string, FrameMatcher> = {
  "operation limits (plugins/limits.ts → operation-limits.ts: armor depth/aliases/directives rules, root fields, cost)": (f) =>
    f.includes("gateway/plugins/limits.ts") || f.includes("gateway/limits/operation-limits.ts") || f.includes("node_modules/@escape.tech/"),
  "fetch admission (fetch-cost.ts: each subgraph fetch's cost)": (f) => f.includes("gateway/limits/fetch-cost.ts"),
  "source checks (source-limits.ts: document bytes, token count, batch)": (f) => f.includes("gateway/limits/source-limits.ts"),
  // BudgetedDataSource.process also starts the subgraph fetch it wraps: only its timer and the budget's own code count.
  "deadline and object cap (budget.ts, withTimeout)": (f, fn) => f.includes("gateway/limits/budget.ts") || (f.includes("gateway/limits/budgeted-data-source.ts") && fn === "withTimeout"),
  "rate limiter (lib/rate-limit.ts, rate-limiter-flexible)": (f) => f.includes("lib/rate-limit.ts") || f.includes("node_modules/rate-limiter-flexible/"),
  "security headers and CORS (edge.ts: helmet, cors, proxy-addr)": (f) =>
    f.includes("gateway/edge.ts") || /node_modules\/(helmet|cors|proxy-addr|forwarded|ipaddr\.js|vary|object-assign)\//.test(f),
};

/**
 * The "on" gateway under --cpu-prof, each query's load in turn; the share of its busy samples (within
 * each measured load) whose stack holds a protection's code. Independent of what else runs on the
 * machine, unlike throughput: the direct measure of what each protection costs.
 */
async function profileProtections(result: SizeResult, db: ProtectionDb, options: ProtectionOptions, name: string): Promise<void> {
  console.log(`  [${result.size}] profile of the "on" gateway, ${DB_LABEL[db]}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-bench-prof-"));
  try {
    let pid = 0;
    const loads: { query: QueryName; measured: Measured }[] = [];
    const { outputs } = await withServers(
      async (s) =>
        void s.push(
          await startServer("gateway on (--cpu-prof)", gatewayScript("on", undefined), [], gatewayEnv(dbEnv(result.dataset, db), "on"), "/readyz", [
            "--cpu-prof",
            "--cpu-prof-dir",
            dir,
          ]),
        ),
      async ([gw]) => {
        pid = gw!.pid;
        const listingId = await listingIdFor(result, db, gw!.graphqlUrl);
        for (const query of options.queries) {
          await check(gw!.graphqlUrl, query, "gateway", listingId);
          const spec = loadSpec(gw!.graphqlUrl, requestBody(query, "gateway", listingId), options);
          const measured = await measure({ spec, warmup: warmupOf(spec, options) }, { gateway: gw!.pid }, db === "postgres");
          loads.push({ query, measured });
          console.log(`    ${query.padEnd(7)} under the profiler: ${describeLoad(measured)}`);
        }
      },
    );
    keepOutputs(result, `profile ${db}`, outputs);
    // The gateway writes its profile when it exits (SIGTERM → graceful stop → exit); main thread = thread 0.
    const written = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
    const main = written.find((f) => f.includes(`.${pid}.0.`)) ?? written[0];
    if (!main) throw new Error(`no .cpuprofile written in ${dir}`);
    const profilesDir = path.join(repoRoot, "bench/results/profiles");
    fs.mkdirSync(profilesDir, { recursive: true });
    const target = path.join(profilesDir, `${name}-on-${db}-${result.size}.cpuprofile`);
    fs.copyFileSync(path.join(dir, main), target);
    const profile = readProfile(target);
    for (const { query, measured } of loads) {
      const shares = inclusiveShares(profile, PROTECTION_GROUPS, measured.windowUs);
      result.profiles.push({ size: result.size, db, query, file: path.relative(repoRoot, target), load: measured, shares });
      console.log(
        `    ${query.padEnd(7)} protections: ${shares.any.pct} % of ${shares.busyMs} ms busy (${shares.samples} samples): ` +
          Object.entries(shares.groups)
            .map(([name, g]) => `${name.split(" (")[0]} ${g.pct} %`)
            .join(", "),
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- (b) refusals ------------------------------------------------------------------------------------------

function firstError(reply: GraphQLReply) {
  return reply.json.errors?.[0];
}

/**
 * One request on a new connection that asks for keep-alive (bench/send.ts): the answer, and whether the
 * gateway closes the connection after it. A request that gets no answer at all is tried again (at most
 * 3 times: the check must not fail on the client's race with a closing server; the load counts those).
 */
async function firstAnswer(url: string, body: string, headers: Record<string, string>): Promise<{ reply: GraphQLReply; serverCloses: boolean; ms: number }> {
  let last = "";
  for (let attempt = 1; attempt <= 3; attempt++) {
    const outcome = await sendOnNewConnection(url, Buffer.from(body), headers);
    if (outcome.kind === "answer") {
      let json: GraphQLReply["json"];
      try {
        json = JSON.parse(outcome.body) as GraphQLReply["json"];
      } catch {
        throw new Error(`${url} answered ${outcome.status} with a non-JSON body: ${outcome.body.slice(0, 500)}`);
      }
      return { reply: { status: outcome.status, sqlStatements: undefined, headers: {}, json }, serverCloses: outcome.serverCloses, ms: outcome.ms };
    }
    last = outcome.kind === "error" ? outcome.message : "no answer within 30 s";
  }
  throw new Error(`${url}: no answer in 3 attempts (${last})`);
}

async function benchRefusals(result: SizeResult, db: ProtectionDb, options: ProtectionOptions): Promise<void> {
  console.log(`  [${result.size}] (b) refusals, ${DB_LABEL[db]}, ${options.refusalRequests} sequential requests each`);
  await withGateway(result, db, "on", `refusals ${db}`, async (gw) => {
    for (const attack of ATTACKS) {
      let first: Awaited<ReturnType<typeof firstAnswer>>;
      try {
        first = await firstAnswer(gw.graphqlUrl, attack.body, GRAPHQL_RESPONSE);
      } catch (error) {
        throw new Error(`${attack.id}: ${(error as Error).message}`);
      }
      const { reply, serverCloses } = first;
      const ms = round3(first.ms);
      const error = firstError(reply);
      const answer = {
        status: reply.status,
        code: error?.extensions?.code,
        limit: error?.extensions?.limit,
        measured: error?.extensions?.measured,
        allowed: error?.extensions?.allowed,
        message: error?.message,
        ms,
      };
      const answered = reply.status === 200 && !reply.json.errors?.length && !!reply.json.data;
      const asExpected =
        attack.expect === "observe" ? answered || !!answer.code : attack.expect === "data" ? answered : reply.status === attack.expect.status && answer.code === attack.expect.code;
      if (!asExpected) {
        throw new Error(`${attack.id}: expected ${JSON.stringify(attack.expect)}, got ${reply.status} ${JSON.stringify(reply.json).slice(0, 1500)}`);
      }
      const legacyStatus = (await firstAnswer(gw.graphqlUrl, attack.body, LEGACY_JSON)).reply.status;
      // A document whose single answer takes long would make N sequential requests take too long: fewer then.
      const requests = ms > 200 ? Math.max(10, Math.min(options.refusalRequests, Math.floor(60_000 / ms))) : options.refusalRequests;
      // A probe ("observe") is measured as it was answered the first time.
      const expect = attack.expect === "data" || (attack.expect === "observe" && answered) ? undefined : attack.expect === "observe" ? { status: reply.status, code: answer.code! } : attack.expect;
      const spec: LoadSpec = {
        url: gw.graphqlUrl,
        body: attack.body,
        headers: GRAPHQL_RESPONSE,
        connections: 1,
        durationSeconds: 0,
        amount: requests,
        ...(expect ? { expect } : {}),
        // The gateway closes the connection after this answer without reading the rest of the body (a 413
        // from the Content-Length): a new connection per request, the close counted as part of the answer.
        ...(serverCloses ? { connectionPerRequest: true } : {}),
      };
      const measured = await measure({ spec, warmup: { ...spec, amount: Math.max(10, Math.floor(requests / 10)) } }, { gateway: gw.pid }, db === "postgres");
      const l = measured.load;
      const unexpected = l.requests - l.expectedStatusResponses + l.mismatches + l.errors;
      result.refusals.push({
        size: result.size,
        db,
        attack: attack.id,
        label: attack.label,
        extra: !!attack.extra,
        bodyBytes: Buffer.byteLength(attack.body),
        expected: attack.expect,
        answer,
        legacyStatus,
        serverCloses,
        unexpected,
        ...measured,
      });
      console.log(
        `    ${attack.id.padEnd(15)} ${String(answer.status)} ${answer.code ?? "data"}${answer.limit ? ` (${answer.limit} ${answer.measured ?? "?"}/${answer.allowed})` : ""}: ` +
          `${l.requests} requests p50 ${l.latencyMs.p50.toFixed(3)} ms p99 ${l.latencyMs.p99.toFixed(3)} ms, gateway CPU ${measured.cpuMsPerRequest.gateway!.toFixed(3)} ms/req` +
          (serverCloses ? `, Connection: close (${l.closedByServer} of ${l.requests} answers; a new connection per request)` : "") +
          (unexpected ? `  !! ${unexpected} unexpected answers (${JSON.stringify(l.statusCodes)}, errors ${l.errors}${l.errorKinds ? ` ${JSON.stringify(l.errorKinds)}` : ""}, mismatches ${l.mismatches})` : ""),
      );
    }
  });
}

// ---- (c) normal clients while the attack arrives -------------------------------------------------------------

async function benchUnderAttack(result: SizeResult, db: ProtectionDb, options: ProtectionOptions): Promise<void> {
  console.log(
    `  [${result.size}] (c) ${DB_LABEL[db]}: BROWSE at ${options.attackConnections} connections; ${options.rounds} round(s) of idle, then with the 6-level attack at ${options.attackRate} req/s; idle again at the end`,
  );
  await withGateway(result, db, "on", `attack ${db}`, async (gw) => {
    await check(gw.graphqlUrl, "browse", "gateway", "");
    const browse = loadSpec(gw.graphqlUrl, requestBody("browse", "gateway", ""), options, { connections: options.attackConnections });
    const attack: LoadSpec = {
      url: gw.graphqlUrl,
      body: FANOUT_ATTACK,
      headers: GRAPHQL_RESPONSE,
      connections: Math.min(2, options.attackRate),
      durationSeconds: options.load.durationSeconds,
      overallRate: options.attackRate,
      expect: { status: 400, code: "QUERY_TOO_COMPLEX" },
    };
    const processes = { gateway: gw.pid };
    const usesPg = db === "postgres";
    const phases: AttackPhase[] = [];
    const run = async (phase: AttackPhase["phase"], round: number, m: Promise<Measured>) => {
      const measured = await m;
      phases.push({ phase, round, ...measured });
      console.log(`    ${`${phase} ${round}`.padEnd(10)} ${describeLoad(measured)}`);
      const a = measured.alongside;
      if (a) {
        console.log(
          `      attack: ${a.requests} requests, ${JSON.stringify(a.statusCodes)}, refusal p50 ${a.latencyMs.p50.toFixed(2)} ms p99 ${a.latencyMs.p99.toFixed(2)} ms, not QUERY_TOO_COMPLEX ${a.mismatches}, errors ${a.errors}`,
        );
      }
    };
    if (options.load.warmupSeconds > 0) await runWorker(warmupOf(browse, options)!);
    for (let round = 1; round <= options.rounds; round++) {
      await run("idle", round, measure({ spec: browse }, processes, usesPg));
      await run("attack", round, measure({ spec: browse, alongside: attack }, processes, usesPg));
    }
    await run("after", options.rounds, measure({ spec: browse }, processes, usesPg));
    const healthz = await getStatus(`http://127.0.0.1:${gw.port}/healthz`);
    let browseAfter = true;
    try {
      await check(gw.graphqlUrl, "browse", "gateway", "");
    } catch {
      browseAfter = false;
    }
    const survived = { running: isRunning(gw.proc.child), healthz, browseAfter };
    console.log(`    survived: ${JSON.stringify(survived)}`);
    result.attacks.push({ size: result.size, db, phases, survived });
  });
}

// ---- the suite ---------------------------------------------------------------------------------------------

export async function benchProtections(
  options: ProtectionOptions,
  meta: Meta,
  datasets: PreparedDataset[],
): Promise<{ markdown: string; json: Record<string, unknown> }> {
  let snapshots: Snapshots | undefined;
  let snapshotsSkipped: string | undefined;
  if (options.parts.includes("onoff")) {
    const prepared = prepareSnapshots(options.protectionsCommit, options.compareLabel);
    if ("skipped" in prepared) {
      snapshotsSkipped = prepared.skipped;
      console.warn(`  commit and baseline skipped: ${prepared.skipped}`);
    } else {
      snapshots = prepared;
      setVariantLabels(snapshots);
      console.log(`  ${VARIANT_LABEL.commit}: ${prepared.commit.subject.slice(0, 100)} in ${prepared.commit.dir}`);
      console.log(`  ${VARIANT_LABEL.baseline}: ${prepared.baseline.subject.slice(0, 100)} in ${prepared.baseline.dir}`);
      if (prepared.schemaAdded.length) console.log(`  this checkout adds migrations to theirs: ${prepared.schemaAdded.join(", ")}`);
    }
  }
  const results: SizeResult[] = [];
  for (const dataset of datasets) {
    const result: SizeResult = { size: dataset.spec.size, dataset, listingIds: {}, onoff: [], profiles: [], refusals: [], attacks: [], serverOutput: {} };
    results.push(result);
    for (const db of options.databases) {
      if (options.parts.includes("onoff")) await benchOnOff(result, db, options, snapshots);
      if (options.parts.includes("profile")) await profileProtections(result, db, options, options.outName ?? `gateway-${meta.date}-protections`);
      if (options.parts.includes("refusals")) await benchRefusals(result, db, options);
      if (options.parts.includes("attack")) await benchUnderAttack(result, db, options);
    }
  }
  meta.finishedAt = new Date().toISOString();
  meta.cpuProbeMs.end = cpuProbeMs();
  const summary = results.map((r) => ({
    size: r.size,
    onoff: onOffSummary(r, options),
    profiles: r.profiles.map((p) => ({ db: p.db, query: p.query, busyMs: p.shares.busyMs, any: p.shares.any.pct, groups: p.shares.groups })),
    refusals: r.refusals.map(refusalRow),
    attacks: r.attacks.map(attackRow),
  }));
  return {
    markdown: markdown(meta, options, results, snapshots, snapshotsSkipped),
    json: {
      snapshots: snapshots
        ? {
            commit: { commit: snapshots.commit.commit, subject: snapshots.commit.subject, label: VARIANT_LABEL.commit },
            baseline: { commit: snapshots.baseline.commit, subject: snapshots.baseline.subject, label: VARIANT_LABEL.baseline },
            addedProtections: snapshots.addedProtections,
            compareLabel: snapshots.compareLabel ?? null,
            schemaAdded: snapshots.schemaAdded,
          }
        : { skipped: snapshotsSkipped },
      offEnv: OFF_ENV,
      attacks: ATTACKS.map((a) => ({ id: a.id, label: a.label, extra: !!a.extra, expect: a.expect, bodyBytes: Buffer.byteLength(a.body), body: a.body.length > 2000 ? `${a.body.slice(0, 2000)}… (${a.body.length} characters)` : a.body })),
      summary,
      sizes: results.map((r) => ({
        size: r.size,
        dataset: { ...r.dataset, pglite: { ...r.dataset.pglite, dataDir: path.relative(repoRoot, r.dataset.pglite.dataDir) } },
        listingIds: r.listingIds,
        onoff: r.onoff,
        profiles: r.profiles,
        refusals: r.refusals,
        attacks: r.attacks,
        serverOutput: r.serverOutput,
      })),
    },
  };
}

// ---- summaries -------------------------------------------------------------------------------------------

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);

interface VariantFigures {
  rounds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  gatewayCpuMs: number;
  postgresCpuMs: number | null;
  bad: number;
  /** Lowest and highest req/s of the rounds. */
  rpsRange: [number, number];
}

function figures(runs: OnOffRun[]): VariantFigures | undefined {
  if (!runs.length) return undefined;
  const rps = runs.map((r) => r.load.requestsPerSecond);
  const pg = runs.map((r) => r.postgresCpuMsPerRequest).filter((v): v is number => v !== null);
  return {
    rounds: runs.length,
    requestsPerSecond: round2(mean(rps)),
    p50: round3(mean(runs.map((r) => r.load.latencyMs.p50))),
    p99: round3(mean(runs.map((r) => r.load.latencyMs.p99))),
    gatewayCpuMs: round3(mean(runs.map((r) => r.cpuMsPerRequest.gateway!))),
    postgresCpuMs: pg.length ? round3(mean(pg)) : null,
    bad: runs.reduce((a, r) => a + r.load.errors + r.load.timeouts + r.load.non2xx + r.load.mismatches, 0),
    rpsRange: [Math.min(...rps), Math.max(...rps)],
  };
}

interface Comparison {
  variant: Variant;
  reference: Variant;
  /** on / reference. */
  requestsPerSecond: number;
  p50: number;
  p99: number;
  gatewayCpu: number;
  /** The cost of the protections: the larger of the throughput lost and the gateway CPU added, %. */
  costPct: number;
}

function compare(on: VariantFigures, ref: VariantFigures, variant: Variant, reference: Variant): Comparison {
  const rps = on.requestsPerSecond / ref.requestsPerSecond;
  const cpu = on.gatewayCpuMs / ref.gatewayCpuMs;
  return {
    variant,
    reference,
    requestsPerSecond: round3(rps),
    p50: round3(on.p50 / ref.p50),
    p99: round3(on.p99 / ref.p99),
    gatewayCpu: round3(cpu),
    costPct: round2(Math.max((1 - rps) * 100, (cpu - 1) * 100)),
  };
}

function onOffSummary(result: SizeResult, options: ProtectionOptions) {
  const rows: { db: ProtectionDb; query: QueryName; figures: Partial<Record<Variant, VariantFigures>>; comparisons: Comparison[] }[] = [];
  for (const db of options.databases) {
    for (const query of options.queries) {
      const byVariant: Partial<Record<Variant, VariantFigures>> = {};
      for (const variant of VARIANTS) {
        const f = figures(result.onoff.filter((r) => r.db === db && r.query === query && r.variant === variant));
        if (f) byVariant[variant] = f;
      }
      if (!Object.keys(byVariant).length) continue;
      const comparisons: Comparison[] = [];
      for (const [variant, reference] of COMPARISONS) {
        const a = byVariant[variant];
        const b = byVariant[reference];
        if (a && b) comparisons.push(compare(a, b, variant, reference));
      }
      rows.push({ db, query, figures: byVariant, comparisons });
    }
  }
  return rows;
}

function refusalRow(r: RefusalRun) {
  return {
    db: r.db,
    attack: r.attack,
    status: r.answer.status,
    code: r.answer.code ?? "data",
    limit: r.answer.limit,
    measured: r.answer.measured,
    allowed: r.answer.allowed,
    requests: r.load.requests,
    p50: r.load.latencyMs.p50,
    p99: r.load.latencyMs.p99,
    max: r.load.latencyMs.max,
    gatewayCpuMs: r.cpuMsPerRequest.gateway,
    serverCloses: r.serverCloses,
    unexpected: r.unexpected,
    errors: r.load.errors,
  };
}

/** p99 of the idle phases (with the one after the attacks) against the attack phases: means of the phases. */
function attackRow(a: AttackRecord) {
  const idle = a.phases.filter((p) => p.phase !== "attack");
  const attacked = a.phases.filter((p) => p.phase === "attack");
  const p99 = (phases: AttackPhase[]) => round3(mean(phases.map((p) => p.load.latencyMs.p99)));
  const statusCodes: Record<string, number> = {};
  for (const p of attacked) for (const [code, n] of Object.entries(p.alongside?.statusCodes ?? {})) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    db: a.db,
    idleP99: p99(idle),
    underAttackP99: p99(attacked),
    ratio: round3(p99(attacked) / p99(idle)),
    idleP99Range: [Math.min(...idle.map((p) => p.load.latencyMs.p99)), Math.max(...idle.map((p) => p.load.latencyMs.p99))],
    underAttackP99Range: [Math.min(...attacked.map((p) => p.load.latencyMs.p99)), Math.max(...attacked.map((p) => p.load.latencyMs.p99))],
    attackRequests: attacked.reduce((n, p) => n + (p.alongside?.requests ?? 0), 0),
    attackNotRefused: attacked.reduce((n, p) => n + (p.alongside?.mismatches ?? 0), 0),
    attackStatusCodes: statusCodes,
    survived: a.survived.running && a.survived.healthz === 200 && a.survived.browseAfter,
  };
}

// ---- markdown ------------------------------------------------------------------------------------------------

const f2 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? "–" : n.toFixed(2));
const f3 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? "–" : n.toFixed(3));
const badCell = (l: LoadResult) => {
  const bad = l.errors + l.timeouts + l.non2xx + l.mismatches;
  return bad ? `**${bad}** (err ${l.errors}, timeouts ${l.timeouts}, non-2xx ${l.non2xx}, bad body ${l.mismatches})` : "0";
};

function onOffTables(result: SizeResult, options: ProtectionOptions, snapshots: Snapshots | undefined): string[] {
  const out: string[] = [];
  const rows = onOffSummary(result, options);
  if (!rows.length) return out;
  out.push(`### (a) Throughput with the protections on and off (${options.load.connections} connections, mean of ${options.rounds} round(s))`);
  out.push("");
  out.push("| database | query | variant | req/s | (rounds: min–max) | p50 ms | p99 ms | gateway CPU ms/req | PostgreSQL CPU ms/req | errors |");
  out.push("|---|---|---|--:|--:|--:|--:|--:|--:|--:|");
  for (const row of rows) {
    for (const variant of VARIANTS) {
      const f = row.figures[variant];
      if (!f) continue;
      out.push(
        `| ${DB_LABEL[row.db]} | ${QUERIES[row.query].label} | ${VARIANT_LABEL[variant]} | ${f.requestsPerSecond.toFixed(0)} | ${f.rpsRange[0].toFixed(0)}–${f.rpsRange[1].toFixed(0)} | ${f2(f.p50)} | ${f2(f.p99)} | ${f3(f.gatewayCpuMs)} | ${f.postgresCpuMs === null ? "(in process)" : f3(f.postgresCpuMs)} | ${f.bad} |`,
      );
    }
  }
  out.push("");
  const protectionsAB = !snapshots || snapshots.addedProtections;
  out.push(
    protectionsAB
      ? "Ratios (req/s below 1 and CPU above 1 are what the protections cost; target: cost ≤ 10 %). on / off: what the limit values change; protections commit / baseline: what the commit that added the protections costs; on / baseline: this checkout against the commit before the protections, with everything added since (not only protections):"
      : `Ratios (variant / reference: req/s above 1 and CPU below 1 mean the variant is cheaper). on / off: what the limit values change (target: cost ≤ 10 %); ${VARIANT_LABEL.commit} / ${VARIANT_LABEL.baseline}: what commit ${snapshots.commit.commit.slice(0, 7)} changed${snapshots.compareLabel ? ` (${snapshots.compareLabel})` : ""}${snapshots.baselineProtected ? ", both with the protections," : ","} not what the protections cost (that is the profile below); on / ${VARIANT_LABEL.baseline}: this checkout against ${snapshots.baseline.commit.slice(0, 7)}, with that commit and everything added since. "change" is the larger of the throughput lost and the gateway CPU added (negative: a saving of at least that much):`,
  );
  out.push("");
  out.push(`| database | query | comparison | req/s | p50 | p99 | gateway CPU | ${protectionsAB ? "cost" : "change"} | target ≤ 10 % |`);
  out.push("|---|---|---|--:|--:|--:|--:|--:|---|");
  for (const row of rows) {
    for (const c of row.comparisons) {
      // Only a comparison with and without the protections has the target; another commit's change does not.
      const target = protectionsAB || c.reference === "off" ? (c.costPct <= 10 ? "met" : "**missed**") : "–";
      out.push(
        `| ${DB_LABEL[row.db]} | ${QUERIES[row.query].label} | ${VARIANT_LABEL[c.variant]} / ${VARIANT_LABEL[c.reference]} | ${c.requestsPerSecond.toFixed(3)} | ${c.p50.toFixed(3)} | ${c.p99.toFixed(3)} | ${c.gatewayCpu.toFixed(3)} | ${c.costPct.toFixed(1)} % | ${target} |`,
      );
    }
  }
  out.push("");
  out.push("Every round:");
  out.push("");
  out.push("| database | query | round | variant | req/s | p50 ms | p99 ms | gateway CPU ms/req | other processes before, % CPU | machine busy % (other) | errors |");
  out.push("|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|");
  const sorted = [...result.onoff].sort(
    (a, b) => a.db.localeCompare(b.db) || a.query.localeCompare(b.query) || a.round - b.round || VARIANTS.indexOf(a.variant) - VARIANTS.indexOf(b.variant),
  );
  for (const r of sorted) {
    out.push(
      `| ${DB_LABEL[r.db]} | ${QUERIES[r.query].label} | ${r.round} | ${VARIANT_LABEL[r.variant]} | ${r.load.requestsPerSecond.toFixed(0)} | ${f2(r.load.latencyMs.p50)} | ${f2(r.load.latencyMs.p99)} | ${f3(r.cpuMsPerRequest.gateway)} | ${r.before.otherPct}${r.before.quiet ? "" : " (busy)"} | ${r.machineBusyPct} (${r.otherLoadPct}) | ${badCell(r.load)} |`,
    );
  }
  out.push("");
  return out;
}

function profileTable(result: SizeResult): string[] {
  const out: string[] = [];
  if (!result.profiles.length) return out;
  const names = Object.keys(PROTECTION_GROUPS);
  out.push("### Where the \"on\" gateway's CPU goes: inclusive share of each protection in a CPU profile");
  out.push("");
  out.push(
    "Share of the gateway's busy samples, during each measured load, whose stack holds the protection's code (PGlite's work is in the same process and in the denominator). A protection's share is what it costs: the gateway without it would need that much less CPU per request.",
  );
  out.push("");
  out.push(`| database | query | req/s under the profiler | busy ms (samples) | ${names.join(" | ")} | all protections |`);
  out.push(`|---|---|--:|--:|${names.map(() => "--:").join("|")}|--:|`);
  for (const p of result.profiles) {
    out.push(
      `| ${DB_LABEL[p.db]} | ${QUERIES[p.query].label} | ${p.load.load.requestsPerSecond.toFixed(0)} | ${p.shares.busyMs.toFixed(0)} (${p.shares.samples}) | ${names.map((n) => `${p.shares.groups[n]!.pct.toFixed(1)} %`).join(" | ")} | **${p.shares.any.pct.toFixed(1)} %** |`,
    );
  }
  out.push("");
  out.push(`Profiles (not committed): ${[...new Set(result.profiles.map((p) => p.file))].join(", ")}.`);
  out.push("");
  return out;
}

function refusalTable(result: SizeResult, options: ProtectionOptions): string[] {
  const out: string[] = [];
  if (!result.refusals.length) return out;
  out.push(
    `### (b) Time to refuse each attack document (${options.refusalRequests} sequential requests each, one keep-alive connection, or a new connection per request where the gateway closes it; target ≤ 1 ms)`,
  );
  out.push("");
  out.push(
    "| database | document | body bytes | answer: status, code (limit: measured / allowed) | status for Accept: application/json | connection after the answer | requests | p50 ms | p99 ms | max ms | gateway CPU ms/refusal | unexpected answers | target ≤ 1 ms |",
  );
  out.push("|---|---|--:|---|--:|---|--:|--:|--:|--:|--:|--:|---|");
  for (const r of result.refusals) {
    const l = r.load;
    const limit = r.answer.limit ? ` (${r.answer.limit}: ${r.answer.measured === null ? "∞" : (r.answer.measured ?? "?")} / ${r.answer.allowed})` : "";
    const target =
      r.expected === "data"
        ? "(reference)"
        : r.expected === "observe" && r.answer.status === 200
          ? "**not refused**"
          : l.latencyMs.p99 <= 1
            ? "met"
            : l.latencyMs.p50 <= 1
              ? "p50 met, **p99 missed**"
              : "**missed**";
    const connection = r.serverCloses ? `closed by the gateway (${l.closedByServer ?? "?"} of ${l.requests}): a new one per request` : "kept";
    const errors = l.errors ? `, no answer ${l.errors}${l.errorKinds && Object.keys(l.errorKinds).length ? ` ${JSON.stringify(l.errorKinds)}` : ""}` : "";
    out.push(
      `| ${DB_LABEL[r.db]} | ${r.extra ? "(extra) " : ""}${r.label} | ${r.bodyBytes.toLocaleString("en-US")} | ${r.answer.status} ${r.answer.code ?? "data"}${limit} | ${r.legacyStatus} | ${connection} | ${l.requests} | ${f3(l.latencyMs.p50)} | ${f3(l.latencyMs.p99)} | ${f2(l.latencyMs.max)} | ${f3(r.cpuMsPerRequest.gateway)} | ${r.unexpected ? `**${r.unexpected}** ${JSON.stringify(l.statusCodes)}${errors}` : "0"} | ${target} |`,
    );
  }
  out.push("");
  return out;
}

function attackTable(result: SizeResult, options: ProtectionOptions): string[] {
  const out: string[] = [];
  if (!result.attacks.length) return out;
  out.push(
    `### (c) Normal clients while the 6-level attack arrives at ${options.attackRate} req/s (BROWSE at ${options.attackConnections} connections, ${options.load.durationSeconds} s per phase, ${options.rounds} round(s); target: p99 ≤ 2× idle, no crash)`,
  );
  out.push("");
  out.push("| database | phase | round | BROWSE req/s | p50 ms | p99 ms | gateway CPU ms/BROWSE | gateway core % | other processes before, % CPU | attack requests (statuses) | attack refusal p50 / p99 ms | errors |");
  out.push("|---|---|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|");
  for (const a of result.attacks) {
    for (const m of a.phases) {
      const att = m.alongside;
      out.push(
        `| ${DB_LABEL[a.db]} | ${m.phase === "attack" ? "under attack" : m.phase === "after" ? "idle after" : "idle"} | ${m.round} | ${m.load.requestsPerSecond.toFixed(0)} | ${f2(m.load.latencyMs.p50)} | ${f2(m.load.latencyMs.p99)} | ${f3(m.cpuMsPerRequest.gateway)} | ${m.cpuCorePct.gateway} | ${m.before.otherPct}${m.before.quiet ? "" : " (busy)"} | ${att ? `${att.requests} (${Object.entries(att.statusCodes).map(([k, v]) => `${k}: ${v}`).join(", ")}${att.mismatches ? `, **${att.mismatches} not QUERY_TOO_COMPLEX**` : ""})` : "–"} | ${att ? `${f2(att.latencyMs.p50)} / ${f2(att.latencyMs.p99)}` : "–"} | ${badCell(m.load)} |`,
      );
    }
  }
  out.push("");
  out.push("| database | p99 idle ms (mean; min–max) | p99 under attack ms (mean; min–max) | ratio | target ≤ 2× | attack requests, all refused | survived (process running, /healthz, BROWSE answered after) |");
  out.push("|---|--:|--:|--:|---|---|---|");
  for (const a of result.attacks) {
    const row = attackRow(a);
    const refused = row.attackRequests > 0 && row.attackNotRefused === 0 && Object.keys(row.attackStatusCodes).length > 0 && Object.keys(row.attackStatusCodes).every((code) => code === "400");
    out.push(
      `| ${DB_LABEL[a.db]} | ${f2(row.idleP99)} (${f2(row.idleP99Range[0])}–${f2(row.idleP99Range[1])}) | ${f2(row.underAttackP99)} (${f2(row.underAttackP99Range[0])}–${f2(row.underAttackP99Range[1])}) | ${row.ratio.toFixed(2)} | ${row.ratio <= 2 ? "met" : "**missed**"} | ${row.attackRequests}, ${refused ? "yes (400 QUERY_TOO_COMPLEX)" : `**no** (${JSON.stringify(row.attackStatusCodes)}, ${row.attackNotRefused} other bodies)`} | ${row.survived ? "yes" : `**no** (${JSON.stringify(a.survived)})`} |`,
    );
  }
  out.push("");
  return out;
}

const subjectOf = (s: Snapshot) => {
  const subject = s.subject.replace(/^\S+ /, "");
  return subject.length > 160 ? `${subject.slice(0, 160)}…` : subject;
};

function snapshotDescription(snapshots: Snapshots): string {
  const common =
    "Both from `git archive` snapshots run with this checkout's node_modules and each with a Prisma client generated from its own schema, same settings and process type" +
    (snapshots.schemaAdded.length
      ? `; this checkout only adds migrations to theirs (${snapshots.schemaAdded.join(", ")}: tables and columns their code never reads), each gateway applies its own at start, so they run on the same data`
      : " (the same database schema)") +
    ".";
  if (snapshots.addedProtections) {
    return `- **protections commit**: the gateway of commit ${snapshots.commit.commit.slice(0, 10)} (the commit that added the protections: "${subjectOf(snapshots.commit)}"), with its defaults and the same rate limits as "on". **baseline (its parent)**: the gateway of ${snapshots.baseline.commit.slice(0, 10)} ("${subjectOf(snapshots.baseline)}"): no operation limits, no deadline or object cap, no rate limiter, no helmet, no CORS, no body pre-check. ${common} The ratio protections commit / baseline is what the protections cost, and nothing else; this checkout has gained more since (metrics, persisted operations, …), which on / baseline includes.`;
  }
  const c = snapshots.commit.commit.slice(0, 7);
  return (
    `- **${VARIANT_LABEL.commit}**: the gateway of commit ${snapshots.commit.commit.slice(0, 10)} ("${subjectOf(snapshots.commit)}"), with its defaults and the same rate limits as "on". ` +
    `**${VARIANT_LABEL.baseline}**: the gateway of ${snapshots.baseline.commit.slice(0, 10)} ("${subjectOf(snapshots.baseline)}"), with its defaults. ${common} ` +
    `${snapshots.baselineProtected ? "Both have the protections: " : ""}${c} is not the commit that added them (--protections-commit ${c}), so ${VARIANT_LABEL.commit} / ${VARIANT_LABEL.baseline} measures what ${c} changed` +
    `${snapshots.compareLabel ? ` (${snapshots.compareLabel})` : ""}, not what the protections cost; what they cost is the profile (their inclusive share of the "on" gateway's CPU). on / ${VARIANT_LABEL.baseline} also includes everything this checkout added after ${c}.`
  );
}

function markdown(meta: Meta, options: ProtectionOptions, results: SizeResult[], snapshots: Snapshots | undefined, snapshotsSkipped: string | undefined): string {
  const out: string[] = [];
  out.push(`# Gateway protections benchmark, ${meta.date}`);
  out.push("");
  out.push(
    `Machine: ${meta.machine.cpuModel} × ${meta.machine.cpuCount}, ${meta.machine.memoryGiB} GiB, ${meta.machine.os}; Node ${meta.node}; PostgreSQL ${meta.postgres}; PGlite ${meta.pglite}. ` +
      `Commit ${meta.git.head.slice(0, 10)}${meta.git.dirty.length ? `; files with uncommitted changes at the start of the run (others edit the tree meanwhile): ${meta.git.dirty.join(", ")}` : ""}. ` +
      `CPU probe (100 M iterations of a JavaScript loop, lower is faster): ${meta.cpuProbeMs.start} ms at the start, ${meta.cpuProbeMs.end ?? "–"} ms at the end.`,
  );
  out.push("");
  out.push("What the variants are:");
  out.push("");
  out.push(
    [
      "- **on**: `gateway/index.ts` of this checkout with its defaults (MAX_DOCUMENT_BYTES 20,000, MAX_TOKENS 2,000, MAX_DEPTH 12, MAX_ALIASES 30, MAX_ROOT_FIELDS 20, MAX_DIRECTIVES 20, MAX_COST 5,000, batches refused, EXECUTION_DEADLINE_MS 10,000, MAX_RESPONSE_OBJECTS 20,000, MAX_RESPONSE_BYTES 5,000,000, helmet, CORS), except the request rate limits: 1,000,000,000 a minute (see Method).",
      `- **off (settings)**: the same code with every limit set so high that it never refuses: ${Object.entries(OFF_ENV)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}; rate limits as for "on". There is no switch that takes a protection out of the request path, so the checks still run (structure once per document, cost, token count and the object count on every request), the limiter still counts, helmet and CORS still set headers: "off" isolates what the limit values change, not what the code costs.`,
      snapshots ? snapshotDescription(snapshots) : `- commit and baseline: not measured (${snapshotsSkipped ?? "onoff not run"}).`,
    ].join("\n"),
  );
  out.push("");
  for (const result of results) {
    out.push(`## ${result.size.toLocaleString("en-US")} listings, ${result.dataset.spec.sellers.toLocaleString("en-US")} sellers`);
    out.push("");
    if (result.listingIds.pglite || result.listingIds.postgres) {
      out.push(`LISTING_PAGE listing: ${result.listingIds.pglite ?? "–"} (PGlite), ${result.listingIds.postgres ?? "–"} (PostgreSQL).`);
      out.push("");
    }
    out.push(...onOffTables(result, options, snapshots), ...profileTable(result), ...refusalTable(result, options), ...attackTable(result, options));
    if (Object.keys(result.serverOutput).length) {
      out.push("Server output during the runs (beyond the ready line):");
      out.push("");
      out.push("```");
      for (const [name, text] of Object.entries(result.serverOutput)) out.push(`[${name}]\n${text.slice(0, 1500)}`);
      out.push("```");
      out.push("");
    }
  }
  out.push("## Data sets");
  out.push("");
  out.push("| size | PGlite | seeding PGlite s | PostgreSQL | seeding PostgreSQL s |");
  out.push("|--:|---|--:|---|--:|");
  for (const { dataset: ds } of results) {
    out.push(
      `| ${ds.spec.size} | ${path.relative(repoRoot, ds.pglite.dataDir)}${ds.pglite.reused ? " (cached)" : ""} | ${ds.pglite.seedSeconds ?? "–"} | ${ds.postgres.database}${ds.postgres.reused ? " (cached)" : ""} | ${ds.postgres.seedSeconds ?? "–"} |`,
    );
  }
  out.push("");
  out.push("## Method");
  out.push("");
  out.push(
    [
      "- Every gateway is `gateway/index.ts` in embedded mode (every subgraph in the process), its own `node --import tsx` child process with NODE_ENV=production, LOG_LEVEL=warn, DEMO_DATA=false, a fixed JWT_SECRET, HOST=127.0.0.1, APOLLO_TELEMETRY_DISABLED=true, on the PGlite data dir or the PostgreSQL database of the data set.",
      "- Rate limits: RATE_LIMIT_REQUESTS_PER_MINUTE and RATE_LIMIT_MUTATIONS_PER_MINUTE = 1,000,000,000 in every variant and part. The default (600 requests a minute per client IP) would refuse a load test from 127.0.0.1 within its first second, and would refuse the attack documents of (b) and (c) by rate instead of by their shape. With this budget the limiter (rate-limiter-flexible, in memory) still runs and counts every request, so its CPU is in the \"on\" and \"off\" figures, but it never refuses.",
      `- (a) For each database the ${snapshots ? "four" : "two"} gateways run side by side, each on its own copy of the PGlite data directory (copied from the data set before the run; a PGlite directory belongs to one process) or on the same PostgreSQL database, and the load goes to one gateway at a time: ${options.rounds} round(s), each variant and query in turn, the order reversed every other round (${VARIANTS.join(", ")} / ${[...VARIANTS].reverse().join(", ")}). Others share this machine: what they run falls on every variant alike instead of on the one that happened to run then. The idle gateways use no measurable CPU. Each query is checked once on each gateway (200, data, no errors); each slice is ${options.load.warmupSeconds} s (first round) or ${Math.min(1, options.load.warmupSeconds)} s (later rounds) of unmeasured load, then ${options.load.durationSeconds} s measured with autocannon at ${options.load.connections} connections from a separate process; every body is checked during the load. The tables show the mean of the rounds (req/s: min–max of the rounds beside it). Cost = the larger of the throughput lost (1 − req/s ratio) and the gateway CPU added (CPU ratio − 1).`,
      "- Profile: the \"on\" gateway started with `node --cpu-prof`, each query loaded as in (a) (warm-up, then the measured load); for the samples taken during each measured load (the profile's clock is CLOCK_MONOTONIC, as process.hrtime), the share of busy samples whose stack holds a frame of the protection's files (bench/protections.ts PROTECTION_GROUPS; BudgetedDataSource counts only its timer, as its process() also starts the fetch it wraps). Inclusive, synchronous stacks: the work a function awaits is in another stack, so this measures the protections' own work, which is what they add. The profiler itself slows the process down; the shares hold.",
      `- (b) One gateway with the protections on. Every request carries \`Accept: application/graphql-response+json\` (GraphQL over HTTP: a refused document is then a 4xx; a client that accepts only application/json gets 200 with the same errors, as the column beside shows for one more request each). Each document is sent once and its answer checked (HTTP status and extensions.code: the run fails otherwise), then ${Math.max(10, Math.floor(options.refusalRequests / 10))} unmeasured and ${options.refusalRequests} measured requests, one at a time on one keep-alive connection (autocannon, connections 1, amount N). A body over BODY_LIMIT_BYTES (100,000 since 3276475) is refused with 413 PAYLOAD_TOO_LARGE from its Content-Length, and the answer says \`Connection: close\`: the gateway stops reading there, neither reads nor parses the rest of the body, and closes the connection (before 3276475 node read and discarded the whole body to reuse the connection). Such documents (the first answer, to a request asking for keep-alive, tells) are sent on a new connection per request (bench/send.ts: node's http client, the whole body in one write, the answer taken once read in full; latency then includes the loopback TCP connect), and the close that follows the answer, with the client often still sending (EPIPE, ECONNRESET), is not counted as an error: autocannon would reuse the closed connection and count those. Latency: the client-side time of each answer with the expected status (exact percentiles), loopback HTTP included; every answer is checked (status and code), anything else is counted as unexpected, and so is a request that got no complete answer ("no answer", with its error code). Gateway CPU per refusal: utime+stime of the gateway process over the N requests, divided by the answers. The documents are in the JSON (\`attacks\`); the "extra" ones are sized to pass one check and reach the next (tokens → aliases, aliases → root fields, body cap → document size), or probe the fragment walkers and the body cap.`,
      `- (c) One gateway with the protections on. BROWSE at ${options.attackConnections} connections (closed loop, as fast as answered): ${options.load.warmupSeconds} s warm-up, then ${options.rounds} round(s) of ${options.load.durationSeconds} s idle and ${options.load.durationSeconds} s with a second load generator (another process) sending the 6-level fan-out at ${options.attackRate} req/s (autocannon overallRate, ${Math.min(2, options.attackRate)} connections), then ${options.load.durationSeconds} s idle again. The ratio compares the mean p99 of the attack phases with the mean p99 of the idle ones (the one after included). The attack requests carry \`Accept: application/graphql-response+json\`; every answer must be 400 QUERY_TOO_COMPLEX (a body without that code counts as "not QUERY_TOO_COMPLEX"). Survived: the process still runs, /healthz answers 200 and BROWSE answers with data after the attack. Gateway CPU per BROWSE includes the attack's refusals in the attack phase.`,
      `- CPU: utime+stime from /proc/<pid>/stat (CLK_TCK ${CLK_TCK}); PGlite runs inside the gateway process (its CPU is in the gateway's), PostgreSQL's is the separate column (every postgres process, plus reaped backends). On ${meta.machine.cpuCount} cores the load generators, the gateway and PostgreSQL share the CPU: "machine busy" and "other" (CPU no process of the benchmark accounts for) are in the per-round table.`,
      `- ${quietMethod()}`,
      "- Data: seedDemoData (prisma/seed/seed.ts) with sellers = size/10 (≤ 10,000), listings = size, seed 2026, cached under bench/.data and in piata_bench_<size>; the same for every variant.",
    ].join("\n"),
  );
  out.push("");
  return out.join("\n");
}
