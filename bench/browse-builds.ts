/**
 * Uncached BROWSE (and LISTING_PAGE) of several production builds side by side, in one run:
 * `npx tsx bench/browse-builds.ts --build 'old=/tmp/wt-old/dist' --build 'head=/tmp/wt-head/dist' [options]`.
 *
 * A build is any commit's compiled gateway (its dist/gateway/index.js, run with plain node the way
 * `npm run start:prod` does, MALLOC_ARENA_MAX=2), so a commit that predates bench:gateway's --dist (or
 * `npm run build` itself: compile it with today's tsconfig.build.json in a worktree of its own, whose
 * node_modules it then resolves) runs under exactly the same load as HEAD. Each build is one embedded
 * gateway on the PostgreSQL data set piata_bench_<size> (bench/datasets.ts), the response cache off
 * (RESPONSE_CACHE_MAX_BYTES=0, ignored by builds without one), rate limits that never refuse.
 * Builds alternate over --rounds, each round in the reverse order of the last. Per run: --warmup s
 * unmeasured, --duration s measured at --connections: requests/s, p50/p99, the gateway's CPU ms per
 * request (utime+stime from /proc) and PostgreSQL's. Once per build: SQL statements per request,
 * counted by PostgreSQL (pg_stat_database transactions over --sql-probe-requests sequential requests).
 *   --build name=dir (repeatable)  --env name:KEY=VALUE (repeatable: that build's extra environment, e.g.
 *               'two:GATEWAY_PROCESSES=2' with 'two:REDIS_URL=redis://127.0.0.1:6379': its CPU is then every
 *               gateway process's, the primary's and its replicas')  --size 2000  --queries browse,listing  --rounds 2  --duration 8
 *   --warmup 4  --connections 10  --sql-probe-requests 40  --out <name> (bench/results/<name>.md, .json)
 *   --profile   each gateway under --cpu-prof (its CPU figures then include the profiler's cost): the
 *               self time of the measured window only, per request, by function and by package, for
 *               each build side by side (bench/results/profiles/<out>.txt); --top 30 functions
 *   --keep-profiles dir   with --profile: the .cpuprofile files kept there (<build>-<round>.cpuprofile),
 *               for the callers of a function (the side-by-side table has self time only)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createLogger } from "../lib/logger.ts";
import { freePort, spawnCommand } from "../tests/utils/processes.ts";
import { prepareDataset, repoRoot } from "./datasets.ts";
import {
  CLK_TCK,
  gitState,
  localDate,
  measure,
  median,
  post,
  procTimes,
  round2,
  round3,
  roundOrder,
  runWorker,
  serverEnv,
  SIDE_BY_SIDE_OPTIONS,
  sleep,
  stopChild,
  track,
  type Measured,
} from "./harness.ts";
import { formatSideBySide, readProfile, windowSelfTime, type WindowProfile } from "./profile-top.ts";
import { check, pickListing, QUERIES, requestBody, type QueryName } from "./operations.ts";

const { values: argv } = parseArgs({
  options: {
    ...SIDE_BY_SIDE_OPTIONS,
    build: { type: "string", multiple: true, default: [] },
    env: { type: "string", multiple: true, default: [] },
    "sql-probe-requests": { type: "string", default: "40" },
    "stats-wait": { type: "string", default: "11" },
    "keep-profiles": { type: "string" },
  },
});

const builds = argv.build.map((spec) => {
  const at = spec.indexOf("=");
  if (at < 1) throw new Error(`--build name=dir, got ${spec}`);
  const dir = path.resolve(spec.slice(at + 1));
  if (!fs.existsSync(path.join(dir, "gateway/index.js"))) throw new Error(`${dir}/gateway/index.js not found`);
  return { name: spec.slice(0, at), dir };
});
if (builds.length < 1) throw new Error("give at least one --build name=dir");
const buildEnv: Record<string, Record<string, string>> = {};
for (const spec of argv.env) {
  const match = /^([^:]+):([A-Z_][A-Z0-9_]*)=(.*)$/.exec(spec);
  if (!match || !builds.some((b) => b.name === match[1])) throw new Error(`--env build:KEY=VALUE with a build's name, got ${spec}`);
  (buildEnv[match[1]!] ??= {})[match[2]!] = match[3]!;
}
const queries = argv.queries.split(",").map((q) => q.trim()) as QueryName[];
for (const q of queries) if (!(q in QUERIES)) throw new Error(`unknown query ${q}`);
const rounds = Number(argv.rounds);
const size = Number(argv.size);
const log = createLogger({ LOG_LEVEL: "warn" }, "bench");

interface Started {
  pid: number;
  /** Every process of the gateway: the one started, and its replicas when GATEWAY_PROCESSES > 1. */
  processes: Record<string, number>;
  url: string;
  stop: () => Promise<string>;
}

/** The build's gateway, ready once it answers { __typename } by POST (old builds have no /readyz). */
async function startBuild(dir: string, databaseUrl: string, nodeArgs: string[], extraEnv: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  const env = { ...serverEnv("production", { DATABASE_URL: databaseUrl }), MALLOC_ARENA_MAX: "2", PORT: String(port), HOST: "127.0.0.1", ...extraEnv };
  const replicas = Number(extraEnv.GATEWAY_PROCESSES ?? 1);
  const proc = spawnCommand(process.execPath, [...argv["node-arg"], ...nodeArgs, path.join(dir, "gateway/index.js")], env);
  track(proc.child);
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 120_000;
  let dead = false;
  void proc.exited.then(() => (dead = true));
  for (;;) {
    if (dead) throw new Error(`${dir}: exited before ready:\n${proc.output()}`);
    if (Date.now() > deadline) throw new Error(`${dir}: not ready in 120 s:\n${proc.output()}`);
    try {
      const reply = await post(url, JSON.stringify({ query: "{ __typename }" }));
      // Replicas after the first start once it serves: each prints its ready line.
      if (reply.status === 200 && (replicas === 1 || (proc.output().match(/API ready at/g) ?? []).length >= replicas)) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  const pid = proc.child.pid!;
  const children = replicas > 1 ? fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).map(Number) : [];
  return {
    pid,
    processes: { gateway: pid, ...Object.fromEntries(children.map((child, i) => [`gateway-${i + 1}`, child])) },
    url,
    stop: async () => {
      await stopChild(proc.child);
      return proc.output();
    },
  };
}

async function xactCount(url: string, database: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT xact_commit + xact_rollback - sessions AS n FROM pg_stat_database WHERE datname = $1", [database]);
    return Number(rows[0]?.n ?? NaN);
  } finally {
    await client.end();
  }
}

interface Run {
  round: number;
  build: string;
  query: QueryName;
  measured: Measured;
  /** CPU of the PostgreSQL backends connected to the data set's database (the gateway's pool), per request. */
  databaseCpuMsPerRequest: number;
  backends: number;
}

/** The backends connected to `database` (other people's tests use the same PostgreSQL server). */
async function backendPids(url: string, database: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database]);
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** The gateway's CPU per request: its one process, or the primary's and every replica's together. */
function gatewayCpuMsPerRequest(measured: Measured): number {
  return round3(Object.entries(measured.cpuMsPerRequest).reduce((sum, [name, ms]) => (name.startsWith("gateway") ? sum + ms : sum), 0));
}

function cpuMsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const t = procTimes(pid);
    if (t) ticks += t[0]! + t[1]!;
  }
  return (ticks * 1000) / CLK_TCK;
}

const profiles: WindowProfile[] = [];

const dataset = await prepareDataset(size, argv["pg-url"], log, { pglite: false, postgres: true });
const runs: Run[] = [];
const sqlPerRequest: Record<string, Record<string, number>> = {};
const started = new Date();
for (let round = 1; round <= rounds; round++) {
  const order = roundOrder(builds, round);
  for (const build of order) {
    console.log(`round ${round}: ${build.name} (${build.dir})`);
    const profileDir = argv.profile ? fs.mkdtempSync(path.join(os.tmpdir(), "browse-builds-prof-")) : undefined;
    const server = await startBuild(build.dir, dataset.postgres.url, profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [], buildEnv[build.name]);
    const windows: { query: QueryName; window: { startUs: number; endUs: number }; requests: number }[] = [];
    try {
      const listingId = await pickListing(server.url);
      for (const query of queries) {
        await check(server.url, query, "gateway", listingId);
        const spec = { url: server.url, body: requestBody(query, "gateway", listingId), connections: Number(argv.connections), durationSeconds: Number(argv.duration) };
        await runWorker({ ...spec, durationSeconds: Number(argv.warmup) });
        const backends = await backendPids(argv["pg-url"], dataset.postgres.database);
        const dbBefore = cpuMsOf(backends);
        const measured = await measure({ spec }, server.processes, true);
        measured.cpuMsPerRequest.gateway = gatewayCpuMsPerRequest(measured);
        const databaseCpuMsPerRequest = round3((cpuMsOf(backends) - dbBefore) / Math.max(1, measured.load.requests));
        runs.push({ round, build: build.name, query, measured, databaseCpuMsPerRequest, backends: backends.length });
        windows.push({ query, window: measured.windowUs, requests: measured.load.requests });
        const l = measured.load;
        console.log(
          `  ${query}: ${l.requestsPerSecond.toFixed(0)} req/s, p50 ${l.latencyMs.p50} p99 ${l.latencyMs.p99} max ${l.latencyMs.max} ms, gateway ${measured.cpuMsPerRequest.gateway} ms/req, its PostgreSQL backends ${databaseCpuMsPerRequest} ms/req (all PostgreSQL ${measured.postgresCpuMsPerRequest}), others ${measured.otherLoadPct} %`,
        );
      }
      const n = Number(argv["sql-probe-requests"]);
      if (round === 1 && n > 0) {
        const wait = Number(argv["stats-wait"]) * 1000;
        const listingId = await pickListing(server.url);
        // Background statements (job queue polling, sweeps) go on meanwhile: their rate, measured over
        // an idle window first, is taken out of each probe's count.
        await sleep(wait);
        const idleStart = await xactCount(argv["pg-url"], dataset.postgres.database);
        let at = performance.now();
        await sleep(wait);
        let before = await xactCount(argv["pg-url"], dataset.postgres.database);
        const idlePerMs = (before - idleStart) / (performance.now() - at);
        at = performance.now();
        sqlPerRequest[build.name] = { idlePerSecond: round2(idlePerMs * 1000) };
        for (const query of queries) {
          for (let i = 0; i < n; i++) await check(server.url, query, "gateway", listingId);
          await sleep(wait);
          const after = await xactCount(argv["pg-url"], dataset.postgres.database);
          const now = performance.now();
          sqlPerRequest[build.name]![query] = round2((after - before - idlePerMs * (now - at)) / n);
          before = after;
          at = now;
        }
        console.log(`  SQL statements per request (PostgreSQL's count): ${JSON.stringify(sqlPerRequest[build.name])}`);
      }
    } finally {
      const output = (await server.stop()).trim();
      if (output) console.log(`  output:\n${output.slice(0, 1500).replace(/^/gm, "    | ")}`);
      if (profileDir) {
        const file = fs.readdirSync(profileDir).find((f) => f.includes(`.${server.pid}.0.`) && f.endsWith(".cpuprofile"));
        if (file) {
          const profile = readProfile(path.join(profileDir, file));
          for (const w of windows) profiles.push({ name: build.name, query: w.query, round, ...windowSelfTime(profile, build.dir, w.window, w.requests) });
          if (argv["keep-profiles"]) {
            fs.mkdirSync(argv["keep-profiles"], { recursive: true });
            fs.copyFileSync(path.join(profileDir, file), path.join(argv["keep-profiles"], `${build.name}-${round}.cpuprofile`));
          }
        } else console.log(`  no profile of ${server.pid} in ${profileDir}`);
        fs.rmSync(profileDir, { recursive: true, force: true });
      }
    }
  }
}

// ---- write-up --------------------------------------------------------------------------------------------

const lines: string[] = [];
lines.push(`# Uncached ${queries.map((q) => QUERIES[q].label).join(", ")}: production builds side by side (${localDate(started)})`, "");
lines.push(
  `Command: \`npx tsx bench/browse-builds.ts ${process.argv.slice(2).join(" ")}\``,
  "",
  `Embedded gateway of each build (plain node, NODE_ENV=production, MALLOC_ARENA_MAX=2, response cache off) on PostgreSQL ${dataset.postgres.database} (${size} listings); ${rounds} rounds alternated (each in the reverse order of the last), ${argv.warmup} s warm-up + ${argv.duration} s measured at ${argv.connections} connections. SQL/request: PostgreSQL's own count of statements over --sql-probe-requests sequential requests, less the background statements (job-queue polling) at the rate counted over an idle window just before. CPU per completed request: utime+stime of the gateway process, of the PostgreSQL backends connected to the data set's database ("its PostgreSQL"), and of every PostgreSQL process (others' tests use the same server: "all PostgreSQL" counts their work too). git: ${JSON.stringify(gitState())}`,
  "",
  "Builds:",
  ...builds.map((b) => `- ${b.name}: ${b.dir}${buildEnv[b.name] ? ` with ${Object.entries(buildEnv[b.name]!).map(([k, v]) => `${k}=${v}`).join(" ")}` : ""}`),
  "",
  "| query | build | round | req/s | p50 ms | p99 ms | max ms | gateway CPU ms/req | its PostgreSQL CPU ms/req | all PostgreSQL ms/req | others % |",
  "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
);
for (const r of runs) {
  const l = r.measured.load;
  lines.push(
    `| ${QUERIES[r.query].label} | ${r.build} | ${r.round} | ${l.requestsPerSecond.toFixed(0)} | ${l.latencyMs.p50} | ${l.latencyMs.p99} | ${l.latencyMs.max} | ${r.measured.cpuMsPerRequest.gateway} | ${r.databaseCpuMsPerRequest} | ${r.measured.postgresCpuMsPerRequest} | ${r.measured.otherLoadPct} |`,
  );
}
lines.push("", "Medians over the rounds, and ratios against the first build:", "");
lines.push("| query | build | req/s | p99 ms | gateway CPU ms/req | its PostgreSQL CPU ms/req | SQL/request | req/s ratio | gateway CPU ratio |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
const summary: Record<string, Record<string, { rps: number; p99: number; cpu: number; pg: number }>> = {};
for (const query of queries) {
  for (const build of builds) {
    const mine = runs.filter((r) => r.query === query && r.build === build.name);
    const s = {
      rps: median(mine.map((r) => r.measured.load.requestsPerSecond)),
      p99: median(mine.map((r) => r.measured.load.latencyMs.p99)),
      cpu: median(mine.map((r) => r.measured.cpuMsPerRequest.gateway!)),
      pg: median(mine.map((r) => r.databaseCpuMsPerRequest)),
    };
    (summary[query] ??= {})[build.name] = s;
    const base = summary[query]![builds[0]!.name]!;
    lines.push(
      `| ${QUERIES[query].label} | ${build.name} | ${s.rps.toFixed(0)} | ${round2(s.p99)} | ${round2(s.cpu)} | ${round2(s.pg)} | ${sqlPerRequest[build.name]?.[query] ?? "–"} | ${(s.rps / base.rps).toFixed(2)}x | ${(s.cpu / base.cpu).toFixed(2)}x |`,
    );
  }
}
const name = argv.out ?? `browse-builds-${localDate(started)}`;
const resultsDir = path.join(repoRoot, "bench/results");
if (profiles.length) {
  const text = formatSideBySide(
    `Self time per request (ms) in the measured window, under --cpu-prof: ${name}`,
    builds.map((b) => b.name),
    queries.map((q) => ({ name: q, label: QUERIES[q].label })),
    profiles,
    Number(argv.top),
  );
  fs.mkdirSync(path.join(resultsDir, "profiles"), { recursive: true });
  fs.writeFileSync(path.join(resultsDir, "profiles", `${name}.txt`), `${text}\n`);
  console.log(`\n${text}\nwritten: bench/results/profiles/${name}.txt`);
}
fs.writeFileSync(path.join(resultsDir, `${name}.md`), `${lines.join("\n")}\n`);
fs.writeFileSync(path.join(resultsDir, `${name}.json`), `${JSON.stringify({ builds, size, queries, rounds, argv, runs, sqlPerRequest, summary }, null, 2)}\n`);
console.log(`\n${lines.join("\n")}\n\nwritten: bench/results/${name}.md`);
