/**
 * Where a search's CPU goes in our processes, and before/after side by side: one embedded gateway per
 * code version (a checkout each: `git worktree add /tmp/search-before <commit>` with node_modules
 * symlinked), all on the same PostgreSQL data set, the versions taking turns kind by kind and round by
 * round, so machine load falls on each alike. Per cell: the gateway process's CPU and the data set's
 * PostgreSQL backends' CPU per request (/proc), and latency. With --profile each gateway runs under
 * --cpu-prof and, per kind, the samples taken during its measured requests are summarised: self time
 * by package and function, inclusive time of groups (planning, the search subgraph, listings, …).
 *
 *   node --import tsx bench/search-profile.ts --roots /tmp/search-before,. --labels before,after \
 *     [--kinds two-words,suggest-4] [--requests 200] [--clients 1] [--rounds 3] [--profile] [--size 100000] [--out x]
 *
 * The agents' queue workers are off (AGENT_WORKERS=off): their polling would land in the PostgreSQL
 * figures. The data set must exist (npm run bench:search creates it).
 *
 * --databases a,b: each root's own database (versions whose schemas differ: a copy of the data set
 * made before a migration with CREATE DATABASE … TEMPLATE); default: piata_bench_<size> for all. Each
 * gateway's PostgreSQL CPU is then its own database's backends'.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { BACKGROUND_OFF } from "./search-background.ts";
import { serverEnv, processCpuMs, round2, sleep, stopChild, track } from "./harness.ts";
import { inclusiveShares, readProfile, type CpuProfile, type FrameMatcher } from "./profile-top.ts";
import { checkKind, KINDS, requestBody } from "./search-queries.ts";
import { httpLoad } from "./search-load.ts";
import { cpuBetween, cpuByPid, percentiles } from "./search-stats.ts";

const { values: argv } = parseArgs({
  options: {
    roots: { type: "string", default: "." },
    labels: { type: "string" },
    kinds: { type: "string", default: "two-words,suggest-4" },
    shapes: { type: "string", default: "full" },
    requests: { type: "string", default: "200" },
    clients: { type: "string", default: "1" },
    warmup: { type: "string", default: "30" },
    rounds: { type: "string", default: "3" },
    size: { type: "string", default: "100000" },
    profile: { type: "boolean", default: false },
    top: { type: "string", default: "20" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    databases: { type: "string" },
    out: { type: "string" },
  },
  strict: true,
});

const roots = argv.roots.split(",").map((r) => path.resolve(r));
const labels = argv.labels?.split(",") ?? roots.map((r) => path.basename(r));
const kinds = argv.kinds.split(",").map((name) => {
  const kind = KINDS.find((k) => k.name === name);
  if (!kind) throw new Error(`unknown kind ${name}`);
  return kind;
});
const requests = Number(argv.requests);
/** Concurrent clients of each cell (connections of the load generator); the requests are the cell's in all. */
const clients = Number(argv.clients);

/**
 * What a search asks for, to tell where the CPU goes by difference: full (bench:search's gateway query:
 * listings' title and price from the listings subgraph), ids (listing { id }: no entity fetch), bare
 * (ids, no facets), uncounted (full without totalCount and facets), typename ({ __typename }: the
 * gateway alone, no subgraph).
 */
const SHAPES = ["full", "ids", "bare", "uncounted", "typename"] as const;
type Shape = (typeof SHAPES)[number];
const shapes = argv.shapes.split(",").map((s) => {
  if (!SHAPES.includes(s as Shape)) throw new Error(`unknown shape ${s}`);
  return s as Shape;
});

/** A `distinct` kind's requests are numbered across the whole run: no two share a filter. */
let distinctRequests = 0;

function bodyOf(kind: (typeof KINDS)[number], shape: Shape): string | (() => string) {
  return kind.distinct && shape !== "typename" ? () => shapedBody(kind, shape, ++distinctRequests) : shapedBody(kind, shape, 0);
}

function shapedBody(kind: (typeof KINDS)[number], shape: Shape, n: number): string {
  if (shape === "typename") return JSON.stringify({ query: "{ __typename }" });
  const full = requestBody(kind, "gateway", n);
  if (shape === "full" || kind.suggest) return full;
  const body = JSON.parse(full) as { query: string; variables: unknown };
  if (shape === "uncounted") {
    // full's listing fields without totalCount and facets: what a search would cost were counting free
    // (the bound of any capped or approximate count: its page still ranks every match).
    body.query = body.query.replace(/totalCount\s*/, "").replace(/facets \{.*?priceRanges \{ count \} \}/s, "");
    return JSON.stringify(body);
  }
  body.query = body.query.replace("listing { id title price { formatted } }", "listing { id }");
  if (shape === "bare") body.query = body.query.replace(/facets \{.*?priceRanges \{ count \} \}/s, "");
  return JSON.stringify(body);
}
const rounds = Number(argv.rounds);
const databases = argv.databases?.split(",") ?? [`piata_bench_${argv.size}`];
if (databases.length !== 1 && databases.length !== roots.length) throw new Error("--databases: one, or one per root");
const databaseOf = (i: number) => databases[databases.length === 1 ? 0 : i]!;
const database = databases.join(",");
const databaseUrlOf = (name: string) => Object.assign(new URL(argv["pg-url"]), { pathname: `/${name}` }).href;
const profileDir = fs.mkdtempSync("/tmp/piata-search-profile-");

interface Gateway {
  label: string;
  database: string;
  root: string;
  child: ChildProcess;
  pid: number;
  url: string;
  output: () => string;
}

async function startGateway(label: string, root: string, port: number, database: string): Promise<Gateway> {
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    ...serverEnv("production", { DATABASE_URL: databaseUrlOf(database) }),
    ...BACKGROUND_OFF,
    PORT: String(port),
    HOST: "127.0.0.1",
  };
  const nodeArgs = argv.profile ? ["--cpu-prof", "--cpu-prof-dir", path.join(profileDir, label)] : [];
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "gateway/index.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`${label} not ready in 120 s:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(300);
  }
  console.log(`${label}: gateway from ${root} on :${port} (pid ${child.pid})`);
  return { label, database, root, child, pid: child.pid!, url: `http://127.0.0.1:${port}/graphql`, output: () => output };
}

async function backends(database: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: argv["pg-url"] });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [database]);
    return rows.map((r) => Number(r.pid));
  } finally {
    await client.end();
  }
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

interface Sample {
  wallMs: number;
  processMs: number;
  databaseMs: number;
  latencies: number[];
  windows: { startUs: number; endUs: number }[];
}

const gateways: Gateway[] = [];
for (const [i, root] of roots.entries()) gateways.push(await startGateway(labels[i]!, root, 4300 + i + Math.floor(Math.random() * 500) * 4, databaseOf(i)));

const samples = new Map<string, Sample>();
const cells = kinds.flatMap((kind) => (kind.suggest ? ["full" as Shape] : shapes).map((shape) => ({ kind, shape, name: shape === "full" ? kind.name : `${kind.name}/${shape}` })));
const keyOf = (label: string, name: string) => `${label}\u0000${name}`;
try {
  for (const kind of kinds) {
    for (const gw of gateways) {
      const answer = await checkKind(gw.url, kind, "gateway");
      console.log(`${gw.label} ${kind.name}: ${answer.count} (${answer.sample})`);
    }
  }
  for (const cell of cells) {
    for (const gw of gateways) {
      await httpLoad(gw.url, bodyOf(cell.kind, cell.shape), {}, 1, Number(argv.warmup));
      samples.set(keyOf(gw.label, cell.name), { wallMs: 0, processMs: 0, databaseMs: 0, latencies: [], windows: [] });
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (const cell of cells) {
      // Alternate which version goes first, round by round.
      const order = round % 2 === 0 ? gateways : [...gateways].reverse();
      for (const gw of order) {
        const sample = samples.get(keyOf(gw.label, cell.name))!;
        const cpu0 = processCpuMs(gw.pid);
        const db0 = cpuByPid(await backends(gw.database));
        const startUs = nowUs();
        const load = await httpLoad(gw.url, bodyOf(cell.kind, cell.shape), {}, clients, requests);
        const endUs = nowUs();
        if (load.errors) throw new Error(`${gw.label} ${cell.name}: ${load.errors} errors, ${load.firstError}`);
        sample.wallMs += (endUs - startUs) / 1000;
        sample.processMs += processCpuMs(gw.pid) - cpu0;
        sample.databaseMs += cpuBetween(db0, cpuByPid(await backends(gw.database)));
        sample.latencies.push(...load.latencies);
        sample.windows.push({ startUs, endUs });
        console.log(`  round ${round + 1} ${cell.name.padEnd(20)} ${gw.label.padEnd(8)} p50 ${percentiles(load.latencies).p50.toFixed(1)} ms`);
      }
    }
  }
} finally {
  for (const gw of gateways) await stopChild(gw.child, 20_000);
}

const rows: Record<string, unknown>[] = [];
console.log("\nkind                  version   gateway CPU ms/req   PostgreSQL CPU ms/req   p50 · p95 · p99 ms   req/s");
for (const cell of cells) {
  for (const gw of gateways) {
    const s = samples.get(keyOf(gw.label, cell.name))!;
    const n = s.latencies.length;
    const p = percentiles(s.latencies);
    const row = { kind: cell.name, version: gw.label, requests: n, gatewayCpuMsPerRequest: round2(s.processMs / n), databaseCpuMsPerRequest: round2(s.databaseMs / n), p50: p.p50, p95: p.p95, p99: p.p99, requestsPerSecond: round2((n * 1000) / (s.wallMs || 1)) };
    rows.push(row);
    console.log(`${cell.name.padEnd(21)} ${gw.label.padEnd(9)} ${String(row.gatewayCpuMsPerRequest).padStart(18)} ${String(row.databaseCpuMsPerRequest).padStart(23)}   ${p.p50.toFixed(1)} · ${p.p95.toFixed(1)} · ${p.p99.toFixed(1)}   ${row.requestsPerSecond}`);
  }
}

// ---- profiles ---------------------------------------------------------------------------------------

/** Inclusive groups: a sample counts for each group one of its frames belongs to. */
const GROUPS: Record<string, FrameMatcher> = {
  "query planning (@apollo/query-planner)": (file) => file.includes("@apollo/query-planner"),
  "plan execution (@apollo/gateway executeQueryPlan)": (file, fn) => file.includes("@apollo/gateway") && /executeQueryPlan|executeNode|executeFetch/.test(fn),
  "graphql-js parse/validate": (file) => /node_modules\/graphql\/(language|validation)\//.test(file),
  "graphql-js execute": (file) => file.includes("node_modules/graphql/execution/"),
  "search subgraph (subgraphs/search)": (file) => file.includes("subgraphs/search/"),
  "listings subgraph (subgraphs/listings)": (file) => file.includes("subgraphs/listings/"),
  "gateway/ (our plugins, server)": (file) => /(^|\/)gateway\//.test(file) && !file.includes("node_modules"),
  "lib/": (file) => /(^|\/)lib\//.test(file) && !file.includes("node_modules"),
  "pg driver": (file) => /node_modules\/(pg|pg-protocol|pg-types)\//.test(file),
  "prisma": (file) => file.includes("@prisma/") || file.includes("prisma/generated"),
  "JSON": (_, fn) => fn === "stringify" || fn === "parse",
  "garbage collector": (_, fn) => fn === "(garbage collector)",
};

function packageOf(url: string): string {
  if (!url) return "(native/vm)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return "node:*";
  for (const root of roots) {
    const prefix = `file://${root}/`;
    if (url.startsWith(prefix)) return url.slice(prefix.length).split("/").slice(0, 2).join("/");
  }
  return url;
}

/** Self time within the windows, by package and by function. */
function selfTimes(profile: CpuProfile, windows: { startUs: number; endUs: number }[], top: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  let at = profile.startTime;
  let busy = 0;
  const meanDelta = profile.timeDeltas.length ? (profile.endTime - profile.startTime) / profile.timeDeltas.length : 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (!windows.some((w) => at >= w.startUs && at <= w.endUs)) continue;
    const node = byId.get(profile.samples[i]!);
    if (!node || node.callFrame.functionName === "(idle)") continue;
    const us = Math.max(0, i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1]! : meanDelta);
    busy += us;
    const f = node.callFrame;
    const short = roots.reduce((u, r) => u.replace(`file://${r}/`, ""), f.url);
    const fn = `${f.functionName || "(anonymous)"}  ${short ? `${short}:${f.lineNumber + 1}` : ""}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const pkg = packageOf(f.url);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, pct: Math.round((us / (busy || 1)) * 1000) / 10 }));
  return { busyMs: Math.round(busy / 100) / 10, packages: list(pkgs), functions: list(fns) };
}

const profiles: Record<string, unknown> = {};
if (argv.profile) {
  await sleep(500);
  for (const gw of gateways) {
    const dir = path.join(profileDir, gw.label);
    const file = fs.readdirSync(dir).find((f) => f.includes(`.${gw.pid}.0.`) && f.endsWith(".cpuprofile"));
    if (!file) {
      console.log(`${gw.label}: no profile in ${dir}`);
      continue;
    }
    const profile = readProfile(path.join(dir, file));
    for (const cell of cells) {
      const s = samples.get(keyOf(gw.label, cell.name))!;
      const n = s.latencies.length;
      const self = selfTimes(profile, s.windows, Number(argv.top));
      const inclusive = s.windows.map((w) => inclusiveShares(profile, GROUPS, w));
      const busyMs = inclusive.reduce((a, x) => a + x.busyMs, 0);
      const groups = Object.fromEntries(
        Object.keys(GROUPS).map((g) => {
          const ms = inclusive.reduce((a, x) => a + x.groups[g]!.ms, 0);
          return [g, { msPerRequest: round2(ms / n), pct: Math.round((ms / (busyMs || 1)) * 1000) / 10 }];
        }),
      );
      profiles[`${gw.label} ${cell.name}`] = { busyMsPerRequest: round2(busyMs / n), groups, self };
      console.log(`\n== ${gw.label} ${cell.name}: sampled busy ${round2(busyMs / n)} ms/request (${n} requests)`);
      console.log("inclusive (ms/request, % of busy):");
      for (const [g, v] of Object.entries(groups)) console.log(`  ${String(v.msPerRequest).padStart(7)}  ${String(v.pct).padStart(5)} %  ${g}`);
      console.log("self time by package (ms/request, %):");
      for (const p of self.packages) console.log(`  ${String(round2(p.ms / n)).padStart(7)}  ${String(p.pct).padStart(5)} %  ${p.name}`);
      console.log("self time by function:");
      for (const f of self.functions) console.log(`  ${String(round2(f.ms / n)).padStart(7)}  ${String(f.pct).padStart(5)} %  ${f.name}`);
    }
  }
}

if (argv.out) {
  fs.writeFileSync(argv.out, `${JSON.stringify({ at: new Date().toISOString(), command: `node --import tsx bench/search-profile.ts ${process.argv.slice(2).join(" ")}`, roots, labels, database, requests, clients, rounds, rows, profiles }, null, 2)}\n`);
  console.log(`\nwritten ${argv.out}`);
}
process.exit(0);
