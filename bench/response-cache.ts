/**
 * The response cache's rows (issue 11): `npm run bench:cache -- [options]`
 *
 * On one gateway process (production mode, embedded by default), back to back: GET /healthz — the
 * ceiling, what the process serves doing no GraphQL at all — then the anonymous listing page and
 * browse answered from the cache; then the same process restarted with the cache off
 * (RESPONSE_CACHE_MAX_BYTES=0) for the uncached rows, the listing page also at --wide connections.
 * Figures: requests/s, p50/p99, the server's CPU ms per request, and the ratio to /healthz of the
 * same server (this machine is shared: compare ratios, not absolute figures across runs).
 *
 *   --db pglite             pglite (embedded default) | postgres
 *   --size 2000             data set (bench/datasets.ts)
 *   --duration 10 --warmup 3 --connections 20 --wide 200
 *   --runtime tsx           tsx: from the sources; prod: from a production build (bench/build.ts)
 *   --out cache-<date>      bench/results/<out>.md and .json
 *   --rev <git rev>         (repeatable) the cached rows of each revision, side by side in this run: each
 *                           one's sources from `git archive` under bench/.data/rev-<sha> (this
 *                           checkout's node_modules and prisma/generated); without --rev, the working tree
 *   --redis <url>           also, for the working tree (or the last --rev): the cached rows with
 *                           REDIS_URL set (local-tier hits with the shared tier on), and the listing page
 *                           answered from the Redis tier alone (a local tier too small to keep anything)
 *   --uncached false        skip the uncached rows; each: the uncached rows of every --rev (by default only
 *                           the last one's)
 *   --local false           skip the cached rows without Redis
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../lib/logger.ts";
import { DATA_ROOT, prepareDataset, repoRoot } from "./datasets.ts";
import { gitState, localDate, measure, round2, serverEnv, startServer, stopServers, useBuild, type Measured, type Server } from "./harness.ts";
import { pickListing, requestBody, type QueryName } from "./operations.ts";

const { values: argv } = parseArgs({
  options: {
    db: { type: "string", default: "pglite" },
    size: { type: "string", default: "2000" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "20" },
    wide: { type: "string", default: "200" },
    runtime: { type: "string", default: "tsx" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    out: { type: "string" },
    rev: { type: "string", multiple: true, default: [] },
    redis: { type: "string" },
    uncached: { type: "string", default: "true" },
    local: { type: "string", default: "true" },
  },
});

const duration = Number(argv.duration);
const warmup = Number(argv.warmup);
const connections = Number(argv.connections);
const log = createLogger({ LOG_LEVEL: "warn" }, "bench");

interface Row {
  name: string;
  /** What ran: the working tree, or a git revision. */
  version: string;
  cache: "on" | "off" | "on, Redis" | "Redis tier only";
  connections: number;
  measured: Measured;
}

/** Each cached server's response cache counters at its end (/metrics): how many lookups hit, and in which tier. */
const cacheEvents: string[] = [];
const METRICS_TOKEN = "bench-response-cache-metrics";

async function run(server: Server, name: string, url: string, body: string, rowConnections = connections): Promise<Row["measured"]> {
  const spec = { url, body, connections: rowConnections, durationSeconds: duration, headers: { "content-type": "application/json" } };
  const measured = await measure({ spec, warmup: { ...spec, durationSeconds: warmup } }, { gateway: server.pid }, argv.db === "postgres");
  const { load } = measured;
  console.log(`  ${name}: ${Math.round(load.requestsPerSecond)} req/s, p99 ${load.latencyMs.p99} ms, ${measured.cpuMsPerRequest.gateway} ms CPU/request, ${load.non2xx} non-2xx`);
  return measured;
}

type Db = { DATABASE_URL: string } | { DATA_DIR: string };

/** A revision's sources, ready to run: its own files and Prisma client (its schema may differ), this checkout's installed packages. */
function checkout(rev: string): { version: string; script: string } {
  const sha = execFileSync("git", ["rev-parse", "--short", rev], { cwd: repoRoot, encoding: "utf8" }).trim();
  const dir = path.join(DATA_ROOT, `rev-${sha}`);
  if (!fs.existsSync(path.join(dir, "gateway/index.ts"))) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync("sh", ["-c", `git archive ${sha} | tar -x -C '${dir}'`], { cwd: repoRoot });
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
    execFileSync(path.join(repoRoot, "node_modules/.bin/prisma"), ["generate"], { cwd: dir, stdio: "ignore", env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath } });
  }
  return { version: sha, script: path.join(dir, "gateway/index.ts") };
}

async function rowsOf(cache: Row["cache"], db: Db, source = { version: "working tree", script: "gateway/index.ts" }): Promise<Row[]> {
  const cacheBytes = { on: 64 * 1024 * 1024, off: 0, "on, Redis": 64 * 1024 * 1024, "Redis tier only": 1 }[cache];
  const env: Record<string, string> = { ...serverEnv("production", db), MALLOC_ARENA_MAX: "2", RESPONSE_CACHE_MAX_BYTES: String(cacheBytes) };
  if (cache === "on, Redis" || cache === "Redis tier only") env.REDIS_URL = argv.redis!;
  env.METRICS_TOKEN = METRICS_TOKEN;
  const server = await startServer(`gateway ${source.version} (cache ${cache})`, source.script, [], env, "/readyz");
  try {
    const listingId = await pickListing(server.graphqlUrl);
    const healthz = server.graphqlUrl.replace(/\/graphql$/, "/healthz");
    const { version } = source;
    const rows: Row[] = [{ name: "GET /healthz", version, cache, connections, measured: await run(server, "healthz", healthz, "") }];
    for (const query of (cache === "Redis tier only" ? ["listing"] : ["listing", "browse"]) as QueryName[]) {
      rows.push({ name: query === "listing" ? "listing page" : "browse", version, cache, connections, measured: await run(server, query, server.graphqlUrl, requestBody(query, "gateway", listingId)) });
    }
    if (cache === "off") {
      const wide = Number(argv.wide);
      rows.push({ name: "listing page", version, cache, connections: wide, measured: await run(server, `listing x${wide}`, server.graphqlUrl, requestBody("listing", "gateway", listingId), wide) });
    }
    if (cache !== "off") {
      const metrics = await (await fetch(server.graphqlUrl.replace(/\/graphql$/, "/metrics"), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      const events = [...metrics.matchAll(/piata_response_cache_total\{event="(\w+)"\} (\d+)/g)].map(([, event, n]) => `${event} ${n}`);
      cacheEvents.push(`- ${source.version}, cache ${cache}: ${events.join(", ") || "(none reported)"}`);
    }
    return rows;
  } finally {
    await stopServers([server]);
  }
}

function markdown(rows: Row[], meta: Record<string, unknown>): string {
  const healthz = (row: Row) => rows.find((r) => r.cache === row.cache && r.version === row.version && r.name === "GET /healthz")!.measured.load.requestsPerSecond;
  const lines = [
    `# Response cache — ${meta.date}`,
    "",
    `${meta.db} at ${meta.size} listings, ${meta.runtime}; ${duration} s per row after ${warmup} s of warm-up; load average at start ${JSON.stringify(meta.loadAverage)}.`,
    "Command: `npm run bench:cache -- " + (meta.argv as string) + "`",
    "",
    "| row | version | cache | connections | req/s | × /healthz of the same server | p50 ms | p99 ms | gateway CPU ms/request | non-2xx |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const row of rows) {
    const { name, version, cache, connections: c, measured } = row;
    const { load } = measured;
    lines.push(
      `| ${name} | ${version} | ${cache} | ${c} | ${Math.round(load.requestsPerSecond)} | ${round2(load.requestsPerSecond / healthz(row))} | ${load.latencyMs.p50} | ${load.latencyMs.p99} | ${measured.cpuMsPerRequest.gateway} | ${load.non2xx} |`,
    );
  }
  if (cacheEvents.length) lines.push("", "Response cache counters at each server's end (/metrics; warm-up included):", "", ...cacheEvents);
  return `${lines.join("\n")}\n`;
}

async function main() {
  const dataset = await prepareDataset(Number(argv.size), argv["pg-url"]!, log, { pglite: argv.db === "pglite", postgres: argv.db === "postgres" });
  const db: Db = argv.db === "postgres" ? { DATABASE_URL: dataset.postgres.url } : { DATA_DIR: dataset.pglite.dataDir };
  // A build directory of its own: other benchmarks may be building theirs meanwhile.
  if (argv.runtime === "prod") useBuild((await import("./build.ts")).buildForBench(path.join(DATA_ROOT, "dist-cache")));
  // A revision named twice (before, after, before, after…) gets a run number: drift on a shared machine shows.
  const sources = argv.rev!.length
    ? argv.rev!.map((rev, i) => {
        const source = checkout(rev);
        const runs = argv.rev!.slice(0, i + 1).filter((r) => r === rev).length;
        return argv.rev!.filter((r) => r === rev).length > 1 ? { ...source, version: `${source.version} (run ${runs})` } : source;
      })
    : [undefined];
  const rows: Row[] = [];
  if (argv.local !== "false") for (const source of sources) rows.push(...(await rowsOf("on", db, source)));
  if (argv.redis) {
    rows.push(...(await rowsOf("on, Redis", db, sources.at(-1))));
    rows.push(...(await rowsOf("Redis tier only", db, sources.at(-1))));
  }
  if (argv.uncached === "each") for (const source of sources) rows.push(...(await rowsOf("off", db, source)));
  else if (argv.uncached !== "false") rows.push(...(await rowsOf("off", db, sources.at(-1))));
  const meta = { date: localDate(), git: gitState(), db: argv.db, size: Number(argv.size), runtime: argv.runtime, loadAverage: os.loadavg().map(round2), argv: process.argv.slice(2).join(" ") };
  const base = path.join(repoRoot, "bench/results", argv.out ?? `cache-${meta.date}`);
  fs.writeFileSync(`${base}.md`, markdown(rows, meta));
  fs.writeFileSync(`${base}.json`, `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
  console.log(`results: ${path.relative(repoRoot, base)}.md`);
}

await main();
