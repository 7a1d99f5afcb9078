/**
 * Where a search's slow requests come from: `npx tsx bench/search-spikes.ts [options]`.
 *
 * The embedded gateway on the PostgreSQL data set (as bench:search starts it: tsx, NODE_ENV=production,
 * background work at the product's defaults unless --background off), with bench/search-spikes-trace.mjs
 * preloaded: every GC, every SQL statement and every event-loop stall of the server, on the wall clock.
 * One client sends --requests searches of each kind one after the other; each request's start and end
 * are kept. Then every request slower than --slow-ms is listed with what overlapped it in the server
 * (GCs, stalls, statements other than the search's own, the search's own statements' times), and the
 * same overlaps are counted over all requests, so a cause shows as more common among the slow ones.
 * Autovacuum workers and active backends of other databases are sampled every 100 ms as well.
 *
 *   --kinds word,typo+cat   (bench/search-queries.ts, search kinds)
 *   --requests 400          per kind
 *   --slow-ms 20
 *   --background on|off     (bench/search-background.ts)
 *   --size 100000           the data set (piata_bench_<size>, seeded by bench:search)
 *   --pg-url postgres://postgres@127.0.0.1:5432/postgres
 *   --block 60              requests per block: each block's p95 is what a bench:search cell of that many requests reads
 *   --burst 0               before each block, this many unmeasured requests from 16 clients (as bench:search's
 *                           16-client cells of the kind before come right before its 1-client cells); 0: none
 *   --env K=V,K=V           more environment for the gateway
 *   --out <name>            bench/results/<name>.md (and the raw trace <name>.jsonl)
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { repoRoot } from "./datasets.ts";
import { machineTicks, processCpuMs, serverEnv, startServer, stopServers, type Server } from "./harness.ts";
import { BACKGROUND_OFF } from "./search-background.ts";
import { checkKind, KINDS, requestBodies } from "./search-queries.ts";
import { percentiles } from "./search-stats.ts";
import http from "node:http";

const { values: argv } = parseArgs({
  options: {
    kinds: { type: "string", default: "word" },
    requests: { type: "string", default: "400" },
    "slow-ms": { type: "string", default: "20" },
    background: { type: "string", default: "on" },
    size: { type: "string", default: "100000" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    env: { type: "string", default: "" },
    block: { type: "string", default: "60" },
    burst: { type: "string", default: "0" },
    out: { type: "string", default: `search-spikes-${new Date().toISOString().slice(0, 10)}` },
  },
  strict: true,
});

const kinds = argv.kinds.split(",").map((name) => {
  const kind = KINDS.find((k) => k.name === name && k.family === "search");
  if (!kind) throw new Error(`--kinds: "${name}" is no search kind`);
  return kind;
});
const requests = Number(argv.requests);
const slowMs = Number(argv["slow-ms"]);
const block = Number(argv.block);
const burst = Number(argv.burst);
const extraEnv = Object.fromEntries(argv.env.split(",").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
const resultsDir = path.join(repoRoot, "bench/results");
const traceFile = path.join(resultsDir, `${argv.out}.jsonl`);
const epoch = () => performance.timeOrigin + performance.now();

interface Request {
  kind: string;
  start: number;
  end: number;
}
type Trace =
  | { t: "gc"; start: number; ms: number; kind: number }
  | { t: "sql"; start: number; end: number; text: string }
  | { t: "lag"; start: number; end: number };
interface Sample {
  at: number;
  machineBusyPct: number;
  gatewayPct: number;
  autovacuum: string[];
  otherActive: number;
}

function post(agent: http.Agent, url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200 || text.includes('"errors":[')) reject(new Error(`${res.statusCode} ${text.slice(0, 300)}`));
        else resolve();
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** `burst` requests from 16 clients, not measured. */
async function burstOf(url: string, body: string | (() => string)): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let left = burst;
  const client = async () => {
    while (left-- > 0) await post(agent, url, typeof body === "string" ? body : body());
  };
  await Promise.all(Array.from({ length: 16 }, client));
  agent.destroy();
}

/** Machine and gateway CPU, autovacuum workers and other databases' active backends, every 100 ms. */
function sampler(gatewayPid: number, client: pg.Client, database: string): { stop(): Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const loop = (async () => {
    let ticks = machineTicks();
    let gw = processCpuMs(gatewayPid);
    let at = epoch();
    while (running) {
      await new Promise((r) => setTimeout(r, 100));
      const { rows } = await client.query<{ backend_type: string; datname: string | null; query: string }>(
        `SELECT backend_type, datname, left(query, 80) AS query FROM pg_stat_activity
         WHERE pid <> pg_backend_pid() AND (backend_type = 'autovacuum worker' OR (state = 'active' AND datname IS DISTINCT FROM $1))`,
        [database],
      );
      const nextTicks = machineTicks();
      const nextGw = processCpuMs(gatewayPid);
      const nextAt = epoch();
      const total = nextTicks.total - ticks.total;
      samples.push({
        at: nextAt,
        machineBusyPct: total ? (100 * (nextTicks.busy - ticks.busy)) / total : 0,
        gatewayPct: (100 * (nextGw - gw)) / (nextAt - at),
        autovacuum: rows.filter((r) => r.backend_type === "autovacuum worker").map((r) => `${r.datname}: ${r.query}`),
        otherActive: rows.filter((r) => r.backend_type !== "autovacuum worker").length,
      });
      [ticks, gw, at] = [nextTicks, nextGw, nextAt];
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

/** Statements of the background work (pg-boss, agents, moderation, chat scan, sweeps, recorders); the rest are the requests' own. */
const BACKGROUND_SQL = /pgboss\.|"AgentRun"|"AgentModel"|"AgentSetting"|"ChatScanCursor"|"ChatMessage"|"ListingModeration"|"SearchChange"|"Observed|"Session"|"IdempotentRequest"|"ListingView"|_migrations|"SearchAlert"|"SavedSearch"|pg_stat|pg_class|pg_catalog|pg_index|pg_settings|pg_database|pg_extension|READ ONLY|statement_timeout|pg_size|^(BEGIN|COMMIT|SELECT 1)$/;
const isSearchSql = (text: string) => !BACKGROUND_SQL.test(text);
const overlaps = (r: Request, start: number, end: number) => start < r.end && end > r.start;
const GC_KIND: Record<number, string> = { 1: "scavenge", 2: "minor-mc", 4: "mark-compact", 8: "incremental", 16: "weak-cb" };

interface Overlap {
  gc: string[];
  gcMs: number;
  lags: number[];
  otherSql: string[];
  ownSql: string[];
  machineBusyPct: number;
  gatewayPct: number;
  autovacuum: boolean;
}

function overlapOf(r: Request, trace: Trace[], samples: Sample[]): Overlap {
  const gcs = trace.filter((e): e is Extract<Trace, { t: "gc" }> => e.t === "gc" && overlaps(r, e.start, e.start + e.ms));
  const lags = trace.filter((e): e is Extract<Trace, { t: "lag" }> => e.t === "lag" && overlaps(r, e.start, e.end));
  const sql = trace.filter((e): e is Extract<Trace, { t: "sql" }> => e.t === "sql" && overlaps(r, e.start, e.end));
  const near = samples.filter((s) => s.at >= r.start && s.at - 100 <= r.end);
  return {
    gc: gcs.map((g) => `${GC_KIND[g.kind] ?? g.kind} ${g.ms.toFixed(1)}`),
    gcMs: gcs.reduce((sum, g) => sum + g.ms, 0),
    lags: lags.map((l) => Math.round(l.end - l.start)),
    otherSql: sql.filter((s) => !isSearchSql(s.text)).map((s) => `${(s.end - s.start).toFixed(1)} ms ${s.text.slice(0, 90)}`),
    ownSql: sql.filter((s) => isSearchSql(s.text)).map((s) => `${(s.end - s.start).toFixed(1)} ${s.text.slice(0, 24)}`),
    machineBusyPct: near.length ? Math.max(...near.map((s) => s.machineBusyPct)) : NaN,
    gatewayPct: near.length ? Math.max(...near.map((s) => s.gatewayPct)) : NaN,
    autovacuum: near.some((s) => s.autovacuum.length > 0),
  };
}

async function main(): Promise<void> {
  const database = `piata_bench_${argv.size}`;
  const dbUrl = new URL(argv["pg-url"]);
  dbUrl.pathname = `/${database}`;
  fs.rmSync(traceFile, { force: true });
  const env = { ...serverEnv("production", { DATABASE_URL: dbUrl.toString() }), ...(argv.background === "off" ? BACKGROUND_OFF : {}), ...extraEnv, SPIKE_TRACE_FILE: traceFile };
  const tracer = path.join(repoRoot, "bench/search-spikes-trace.mjs");
  const servers: Server[] = [await startServer("gateway", "gateway/index.ts", [], env, "/readyz", ["--import", tracer])];
  const gw = servers[0]!;
  const client = new pg.Client({ connectionString: argv["pg-url"] });
  await client.connect();
  const requestsDone: Request[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sampling = sampler(gw.pid, client, database);
  const wall0 = epoch();
  const cpu0 = processCpuMs(gw.pid);
  try {
    for (const kind of kinds) {
      await checkKind(gw.graphqlUrl, kind, "gateway");
      const body = requestBodies(kind, "gateway");
      for (let i = 0; i < 3; i++) await post(agent, gw.graphqlUrl, typeof body === "string" ? body : body());
      for (let i = 0; i < requests; i++) {
        if (burst && i % block === 0) await burstOf(gw.graphqlUrl, body);
        const start = epoch();
        await post(agent, gw.graphqlUrl, typeof body === "string" ? body : body());
        requestsDone.push({ kind: kind.name, start, end: epoch() });
      }
    }
  } finally {
    agent.destroy();
  }
  const gatewayCpuMs = processCpuMs(gw.pid) - cpu0;
  const wallMs = epoch() - wall0;
  const samples = await sampling.stop();
  await client.end();
  await stopServers(servers);
  const trace: Trace[] = fs
    .readFileSync(traceFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Trace)
    .filter((e) => e.start >= wall0 - 1000);
  report(requestsDone, trace, samples, { gatewayCpuMs, wallMs });
}

function report(done: Request[], trace: Trace[], samples: Sample[], totals: { gatewayCpuMs: number; wallMs: number }): void {
  const lines: string[] = [`# Search spikes — ${argv.out}`, "", `Command: \`npx tsx bench/search-spikes.ts ${process.argv.slice(2).join(" ")}\``, ""];
  lines.push(`Gateway CPU ${(totals.gatewayCpuMs / done.length).toFixed(2)} ms per request over the run (${(100 * totals.gatewayCpuMs / totals.wallMs).toFixed(0)} % of one core).`, "");
  const machine = samples.map((s) => s.machineBusyPct).sort((a, b) => a - b);
  const gwShare = samples.map((s) => s.gatewayPct / 2);
  const others = samples.map((s, i) => Math.max(0, s.machineBusyPct - gwShare[i]!)).sort((a, b) => a - b);
  lines.push(`Machine busy (2 cores) per 100 ms: median ${machine[machine.length >> 1]?.toFixed(0)} %; others than the gateway (incl. PostgreSQL): median ${others[others.length >> 1]?.toFixed(0)} %, p95 ${others[Math.floor(others.length * 0.95)]?.toFixed(0)} %.`, "");
  for (const kind of new Set(done.map((r) => r.kind))) {
    const rs = done.filter((r) => r.kind === kind);
    const p = percentiles(rs.map((r) => r.end - r.start));
    lines.push(`## ${kind}: ${rs.length} requests, p50 ${p.p50.toFixed(1)} · p95 ${p.p95.toFixed(1)} · p99 ${p.p99.toFixed(1)} · max ${p.max.toFixed(1)} ms`, "");
    const blocks: number[] = [];
    for (let b = 0; b + block <= rs.length; b += block) blocks.push(percentiles(rs.slice(b, b + block).map((r) => r.end - r.start)).p95);
    lines.push(`Blocks of ${block}${burst ? ` (each after a burst of ${burst} requests from 16 clients)` : ""}: ${blocks.length}, p95 over ${slowMs} ms in ${blocks.filter((p) => p > slowMs).length}; their p95s: ${blocks.map((p) => p.toFixed(1)).join(" ")}`, "");
    const all = rs.map((r) => ({ r, ms: r.end - r.start, o: overlapOf(r, trace, samples) }));
    const slow = all.filter((x) => x.ms > slowMs);
    const share = (xs: typeof all, f: (o: Overlap) => boolean) => (xs.length ? `${((100 * xs.filter((x) => f(x.o)).length) / xs.length).toFixed(0)} %` : "–");
    const tests: [string, (o: Overlap) => boolean][] = [
      ["a GC ≥ 2 ms", (o) => o.gc.some((g) => Number(g.split(" ")[1]) >= 2)],
      ["a mark-compact", (o) => o.gc.some((g) => g.startsWith("mark-compact"))],
      ["an event-loop stall ≥ 5 ms", (o) => o.lags.some((l) => l >= 5)],
      ["pg-boss / background SQL", (o) => o.otherSql.length > 0],
      ["counts read (WITH groups)", (o) => o.ownSql.some((s) => s.includes("WITH groups"))],
      ["autovacuum running", (o) => o.autovacuum],
      ["others busy ≥ 50 % of the machine", (o) => o.machineBusyPct - o.gatewayPct / 2 >= 50],
    ];
    lines.push(`| overlapping | all (${all.length}) | slow > ${slowMs} ms (${slow.length}) |`, "| --- | ---: | ---: |");
    for (const [label, f] of tests) lines.push(`| ${label} | ${share(all, f)} | ${share(slow, f)} |`);
    lines.push("");
    const fast = [...all].sort((a, b) => a.ms - b.ms);
    const median = fast[fast.length >> 1];
    lines.push("| request | ms | own SQL ms | GCs (ms) | stalls ms | other SQL | machine busy % | gateway % | autovacuum |", "| --- | ---: | --- | --- | --- | --- | ---: | ---: | --- |");
    for (const x of [...slow, ...(median ? [median] : [])]) {
      const at = new Date(x.r.start).toISOString().slice(11, 23);
      lines.push(
        `| ${x === median ? "median " : ""}${at} | ${x.ms.toFixed(1)} | ${x.o.ownSql.join("<br>")} | ${x.o.gc.join(", ")} | ${x.o.lags.join(", ")} | ${x.o.otherSql.join("<br>").replace(/\|/g, "/")} | ${x.o.machineBusyPct.toFixed(0)} | ${x.o.gatewayPct.toFixed(0)} | ${x.o.autovacuum ? "yes" : ""} |`,
      );
    }
    lines.push("");
  }
  const bg = trace.filter((e): e is Extract<Trace, { t: "sql" }> => e.t === "sql" && !isSearchSql(e.text));
  const byText = new Map<string, { n: number; ms: number; max: number }>();
  for (const s of bg) {
    const key = s.text.slice(0, 70);
    const v = byText.get(key) ?? { n: 0, ms: 0, max: 0 };
    v.n++;
    v.ms += s.end - s.start;
    v.max = Math.max(v.max, s.end - s.start);
    byText.set(key, v);
  }
  const span = (Math.max(...trace.map((e) => e.start)) - Math.min(...trace.map((e) => e.start))) / 1000;
  lines.push(`## Background statements over ${span.toFixed(0)} s`, "", "| statement | count | per s | total ms | max ms |", "| --- | ---: | ---: | ---: | ---: |");
  for (const [text, v] of [...byText].sort((a, b) => b[1].n - a[1].n).slice(0, 30)) lines.push(`| ${text.replace(/\|/g, "/")} | ${v.n} | ${(v.n / span).toFixed(2)} | ${v.ms.toFixed(0)} | ${v.max.toFixed(1)} |`);
  const gcs = trace.filter((e): e is Extract<Trace, { t: "gc" }> => e.t === "gc");
  const gcBy = new Map<string, number[]>();
  for (const g of gcs) gcBy.set(GC_KIND[g.kind] ?? String(g.kind), [...(gcBy.get(GC_KIND[g.kind] ?? String(g.kind)) ?? []), g.ms]);
  lines.push("", "| GC | count | total ms | max ms |", "| --- | ---: | ---: | ---: |");
  for (const [k, ms] of gcBy) lines.push(`| ${k} | ${ms.length} | ${ms.reduce((a, b) => a + b, 0).toFixed(0)} | ${Math.max(...ms).toFixed(1)} |`);
  const lags = trace.filter((e): e is Extract<Trace, { t: "lag" }> => e.t === "lag").map((l) => l.end - l.start);
  lines.push("", `Event-loop stalls > 3 ms: ${lags.length}; ≥ 10 ms: ${lags.filter((l) => l >= 10).length}; max ${lags.length ? Math.max(...lags).toFixed(0) : 0} ms.`, "");
  fs.writeFileSync(path.join(resultsDir, `${argv.out}.md`), lines.join("\n"));
  console.log(lines.join("\n"));
}

await main();
