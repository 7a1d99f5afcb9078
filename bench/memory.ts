/**
 * Where a server's memory goes: `npx tsx bench/memory.ts [--db postgres|pglite|both] [--size 2000]`.
 * Each stage is a fresh process from the production build (bench/build.ts) that does a bit more than
 * the one before; its RSS --settle s later (and V8's heap) is printed, so the differences between
 * stages are what each component costs. The data set is bench:gateway's (bench/datasets.ts).
 *
 * `--compare`: what a memory setting costs in CPU. Variants of the production gateway (`npm run
 * start:prod`'s way: plain node, MALLOC_ARENA_MAX=2, response cache off), alternated over --rounds
 * (each round in the reverse order of the last), on one --db: per start, the idle RSS --settle s after
 * it was ready (no request yet) and again --settled s after it (30: by then V8's memory reducer has shrunk
 * the young generation that start-up grew, which it does ~10-25 s after the last start-up GC), then the uncached listing page and browse at --connections, each
 * --warmup s unmeasured and --duration s measured: requests/s, p50/p99, the gateway's CPU ms per
 * request (utime+stime from /proc, PGlite's thread included), PostgreSQL's, and the peak RSS.
 *   --variant 'name=compiler[:node flag,NAME=value,…][@dir]'   (repeatable) compiler: fast|small, Prisma's
 *                  query compiler build (a copy of the build with prisma/generated/internal/class.js
 *                  importing that build, which is what `compilerBuild` in prisma/schema.prisma's generator
 *                  generates); then node flags and environment variables; @dir: files laid over the
 *                  build (e.g. a lib/db/pglite-worker.mjs with other settings)
 *   --rounds 2 --duration 10 --warmup 3 --connections 20 --out <name> (bench/results/<name>.md, .json)
 *   --idle-only: no load, only the idle and settled RSS of each start (more starts in the same time:
 *                  RSS varies ±15 MB from start to start, more than most settings change it)
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../lib/logger.ts";
import { buildForBench } from "./build.ts";
import { prepareDataset, repoRoot } from "./datasets.ts";
import {
  JWT_SECRET,
  gitState,
  localDate,
  measure,
  round2,
  rssMb,
  serverEnv,
  sleep,
  startServer,
  stopServers,
  useBuild,
  type Measured,
} from "./harness.ts";
import { pickListing, requestBody, type QueryName } from "./operations.ts";

const { values: argv } = parseArgs({
  options: {
    db: { type: "string", default: "both" },
    size: { type: "string", default: "2000" },
    settle: { type: "string", default: "8" },
    settled: { type: "string", default: "30" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    "no-build": { type: "boolean", default: false },
    compare: { type: "boolean", default: false },
    "idle-only": { type: "boolean", default: false },
    variant: { type: "string", multiple: true, default: [] },
    rounds: { type: "string", default: "2" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "20" },
    out: { type: "string" },
  },
});

/** What each stage runs (an ES module; DIST is the build): cumulative, each one a step further. */
const OPEN_DB = `const { openDatabase } = await import(DIST + "/lib/db/database.js");
  const db = await openDatabase(config, log); await db.prisma.user.count();`;
const CONFIG = `const { loadConfig } = await import(DIST + "/lib/env.js");
  const { createLogger } = await import(DIST + "/lib/logger.js");
  const config = loadConfig(); const log = createLogger(config, "probe");`;
const STAGES: { name: string; code: string }[] = [
  { name: "node, nothing loaded", code: "" },
  { name: "+ database: Prisma client (its query compiler WASM), driver, migrations check, one query", code: `${CONFIG} ${OPEN_DB}` },
  {
    name: "+ every module of the gateway and subgraphs loaded (import gateway/gateway.js), nothing built",
    code: `${CONFIG} ${OPEN_DB} await import(DIST + "/gateway/gateway.js");`,
  },
  {
    name: "+ the 5 subgraphs created and started (bench/in-process-subgraphs.ts), no gateway",
    code: `${CONFIG} await import(DIST + "/gateway/gateway.js");
      const { openSubgraphs } = await import(DIST + "/bench/in-process-subgraphs.js"); await openSubgraphs(config, log);`,
  },
  {
    name: "the whole gateway started (build(config).start(), what npm run start:prod runs)",
    code: `${CONFIG} const { build } = await import(DIST + "/gateway/gateway.js"); const app = await build(config, log); await app.start();`,
  },
  { name: "the stock @apollo/gateway over the same subgraphs (bench/stock-gateway.ts)", code: `await import(DIST + "/bench/stock-gateway.js");` },
];

async function stage(distDir: string, code: string, env: Record<string, string>, settleSeconds: number): Promise<{ rss: number; heap: string }> {
  const script = `const DIST = ${JSON.stringify(distDir)};
    ${code}
    const v8 = await import("node:v8");
    setTimeout(() => { const h = v8.getHeapStatistics(); const m = process.memoryUsage();
      console.log(JSON.stringify({ heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external })); }, ${settleSeconds * 1000 - 500});
    setInterval(() => {}, 1 << 30);`;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "piata-memory-")), "stage.mjs");
  fs.writeFileSync(file, script);
  const child = spawn(process.execPath, [file], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  try {
    for (let waited = 0; !out.includes('"heapTotal"'); waited += 250) {
      if (child.exitCode !== null) throw new Error(`stage exited: ${out}`);
      if (waited > 180_000) throw new Error(`stage not done after 180 s: ${out}`);
      await sleep(250);
    }
    const rss = rssMb(child.pid!)!.rss;
    const m = JSON.parse(out.slice(out.indexOf('{"heapTotal"')).split("\n")[0]!) as { heapTotal: number; heapUsed: number; external: number };
    const mb = (n: number) => Math.round(n / 2 ** 20);
    return { rss, heap: `heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB, external ${mb(m.external)} MB` };
  } finally {
    child.kill("SIGKILL");
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

const log = createLogger({ LOG_LEVEL: "warn" } as never, "bench");
const size = Number(argv.size);
if (argv.compare) {
  await compare();
  process.exit(0);
}
const dbs = argv.db === "both" ? ["postgres", "pglite"] : [argv.db];
const dataset = await prepareDataset(size, argv["pg-url"], log, { pglite: dbs.includes("pglite"), postgres: dbs.includes("postgres") });
const distDir = argv["no-build"] ? path.join(repoRoot, "bench/.data/dist") : buildForBench();
for (const db of dbs) {
  const dbEnv = db === "pglite" ? { DATA_DIR: dataset.pglite.dataDir } : { DATABASE_URL: dataset.postgres.url };
  const env = { ...serverEnv("production", dbEnv), JWT_SECRET, PORT: "0", HOST: "127.0.0.1", MALLOC_ARENA_MAX: "2" };
  console.log(`\n${db}, ${size} listings: RSS ${argv.settle} s after each stage (MB)`);
  let previous = 0;
  for (const [i, { name, code }] of STAGES.entries()) {
    const r = await stage(distDir, code, env, Number(argv.settle));
    console.log(`  ${String(r.rss).padStart(4)}  ${i ? `(${r.rss - previous >= 0 ? "+" : ""}${r.rss - previous})`.padEnd(7) : "".padEnd(7)} ${name}; ${r.heap}`);
    previous = r.rss;
  }
}
process.exit(0);

// ---- --compare ------------------------------------------------------------------------------------------

interface Variant {
  name: string;
  compiler: "fast" | "small";
  nodeArgs: string[];
  /** Environment variables of the variant (NAME=value items of its flags). */
  env: Record<string, string>;
  /** A directory whose files replace the build's (e.g. lib/db/pglite-worker.mjs with other settings). */
  overlay?: string;
}

interface CompareRow {
  variant: string;
  round: number;
  idleRssMb: number;
  /** RSS --settled s after ready, still without a request: after V8's memory reducer has run (it shrinks the young generation ~10-25 s after the last start-up GC). */
  settledRssMb: number;
  rows: { query: QueryName; measured: Measured }[];
}

function parseVariant(spec: string): Variant {
  const match = /^([\w.+-]+)=(fast|small)(?::([^@]*))?(?:@(.+))?$/.exec(spec);
  if (!match) throw new Error(`--variant must be name=fast|small[:flag,NAME=value,…][@overlay dir], got "${spec}"`);
  const items = match[3] ? match[3].split(",").filter(Boolean) : [];
  const env = Object.fromEntries(items.filter((i) => /^[A-Z_][A-Z0-9_]*=/.test(i)).map((i) => [i.slice(0, i.indexOf("=")), i.slice(i.indexOf("=") + 1)]));
  const nodeArgs = items.filter((i) => !/^[A-Z_][A-Z0-9_]*=/.test(i));
  return { name: match[1]!, compiler: match[2] as Variant["compiler"], nodeArgs, env, ...(match[4] ? { overlay: path.resolve(match[4]) } : {}) };
}

/** A copy of the build whose Prisma client loads the query compiler build `compiler`. */
function buildWithCompiler(baseDist: string, compiler: Variant["compiler"]): string {
  const dir = `${baseDist}-${compiler}`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(baseDist, dir, { recursive: true });
  const file = path.join(dir, "prisma/generated/internal/class.js");
  const text = fs.readFileSync(file, "utf8");
  const swapped = text.replace(/query_compiler_(fast|small)_bg/g, `query_compiler_${compiler}_bg`);
  if (!/query_compiler_(fast|small)_bg/.test(text)) throw new Error(`${file} names no query compiler build`);
  fs.writeFileSync(file, swapped);
  return dir;
}

async function compare(): Promise<void> {
  const variants = argv.variant!.map(parseVariant);
  if (!variants.length) throw new Error("--compare needs at least one --variant");
  const db = argv.db === "postgres" ? "postgres" : "pglite";
  const rounds = Number(argv.rounds);
  const settle = Number(argv.settle);
  const spec = { connections: Number(argv.connections), durationSeconds: Number(argv.duration), headers: { "content-type": "application/json" } };
  const dataset = await prepareDataset(size, argv["pg-url"], log, { pglite: db === "pglite", postgres: db === "postgres" });
  const dbEnv = db === "pglite" ? { DATA_DIR: dataset.pglite.dataDir } : { DATABASE_URL: dataset.postgres.url };
  const baseDist = buildForBench(path.join(repoRoot, "bench/.data/dist-memory"));
  const dists = { fast: buildWithCompiler(baseDist, "fast"), small: buildWithCompiler(baseDist, "small") };
  const distOf = (v: Variant) => {
    if (!v.overlay) return dists[v.compiler];
    const dir = `${baseDist}-${v.name}`;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(dists[v.compiler], dir, { recursive: true });
    fs.cpSync(v.overlay, dir, { recursive: true });
    return dir;
  };
  const variantDists = new Map(variants.map((v) => [v.name, distOf(v)]));
  const results: CompareRow[] = [];
  const loadAverages: number[][] = [os.loadavg().map(round2)];
  for (let round = 1; round <= rounds; round++) {
    for (const variant of round % 2 ? variants : [...variants].reverse()) {
      useBuild(variantDists.get(variant.name));
      const env = { ...serverEnv("production", dbEnv), MALLOC_ARENA_MAX: "2", ...variant.env };
      const server = await startServer(`gateway ${variant.name}`, "gateway/index.ts", [], env, "/readyz", variant.nodeArgs);
      try {
        await sleep(settle * 1000);
        const idleRssMb = rssMb(server.pid)!.rss;
        await sleep(Math.max(0, Number(argv.settled) - settle) * 1000);
        const settledRssMb = rssMb(server.pid)!.rss;
        if (argv["idle-only"]) {
          results.push({ variant: variant.name, round, idleRssMb, settledRssMb, rows: [] });
          console.log(`  round ${round} ${variant.name}: idle ${idleRssMb} MB, settled ${settledRssMb} MB`);
          continue;
        }
        const listingId = await pickListing(server.graphqlUrl);
        const row: CompareRow = { variant: variant.name, round, idleRssMb, settledRssMb, rows: [] };
        for (const query of ["listing", "browse"] as QueryName[]) {
          const load = { ...spec, url: server.graphqlUrl, body: requestBody(query, "gateway", listingId) };
          const measured = await measure({ spec: load, warmup: { ...load, durationSeconds: Number(argv.warmup) } }, { gateway: server.pid }, db === "postgres");
          row.rows.push({ query, measured });
          console.log(
            `  round ${round} ${variant.name} ${query}: ${Math.round(measured.load.requestsPerSecond)} req/s, ${measured.cpuMsPerRequest.gateway} ms CPU/request, ` +
              `peak ${measured.peakRssMb.gateway} MB (idle ${idleRssMb} MB, settled ${settledRssMb} MB), others ${measured.otherLoadPct} %`,
          );
        }
        results.push(row);
      } finally {
        await stopServers([server]);
      }
    }
    loadAverages.push(os.loadavg().map(round2));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const of = (name: string) => results.filter((r) => r.variant === name);
  const metric = (name: string, query: QueryName, f: (m: Measured) => number) => of(name).map((r) => f(r.rows.find((q) => q.query === query)!.measured));
  const base = variants[0]!.name;
  if (argv["idle-only"]) {
    const spread = (xs: number[]) => `${xs.join(", ")} (mean ${Math.round(mean(xs))}, ${Math.min(...xs)}–${Math.max(...xs)})`;
    const rows = variants.map((v) => {
      const idle = of(v.name).map((r) => r.idleRssMb);
      const settled = of(v.name).map((r) => r.settledRssMb);
      const flags = [...v.nodeArgs, ...Object.entries(v.env).map(([k, x]) => `${k}=${x}`), v.overlay ? `overlay ${path.relative(repoRoot, v.overlay)}` : ""].filter(Boolean).join(" ") || "–";
      return `| ${v.name} | ${flags} | ${spread(idle)} | ${spread(settled)} | ${Math.round(mean(idle) - mean(of(base).map((r) => r.idleRssMb)))} | ${Math.round(mean(settled) - mean(of(base).map((r) => r.settledRssMb)))} |`;
    });
    const md = [
      `# Idle RSS of memory settings — ${localDate()}`,
      "",
      `Our gateway (production build, plain node, MALLOC_ARENA_MAX=2, response cache off) on ${db === "pglite" ? "PGlite (embedded)" : "PostgreSQL"}, ${size} listings, a restart on the existing data set (no seeding), no request.`,
      `${rounds} rounds, variants alternated (each round in the reverse order of the last); per start: RSS ${settle} s after ready (idle) and ${argv.settled} s after ready (settled).`,
      `Command: \`npx tsx bench/memory.ts ${process.argv.slice(2).join(" ")}\`. Load average at the start and after each round: ${loadAverages.map((l) => l.join("/")).join("; ")}.`,
      "",
      `| variant | node flags, environment, overlay | idle RSS MB (each start) | settled RSS MB (each start) | idle − ${base} | settled − ${base} |`,
      "|---|---|---|---|--:|--:|",
      ...rows,
      "",
    ].join("\n");
    const name = argv.out ?? `gateway-${localDate()}-memory-idle-${db}`;
    const outBase = path.join(repoRoot, "bench/results", name);
    fs.writeFileSync(`${outBase}.md`, md);
    fs.writeFileSync(`${outBase}.json`, `${JSON.stringify({ date: localDate(), git: gitState(), db, size, argv: process.argv.slice(2), loadAverages, variants, results }, null, 2)}\n`);
    console.log(`\n${md}\nresults: ${path.relative(repoRoot, outBase)}.md`);
    return;
  }
  const lines = [
    `# Memory settings and their CPU cost — ${localDate()}`,
    "",
    `Our gateway (production build, plain node, MALLOC_ARENA_MAX=2, response cache off) on ${db === "pglite" ? "PGlite (embedded)" : "PostgreSQL"}, ${size} listings, a restart on the existing data set (no seeding).`,
    `${rounds} rounds, variants alternated (each round in the reverse order of the last); per start: idle RSS ${settle} s after ready and ${argv.settled} s after ready (settled: V8's memory reducer has shrunk the heap by then), then the uncached listing page and browse at ${spec.connections} connections, ${argv.warmup} s warm-up + ${spec.durationSeconds} s measured each.`,
    `Command: \`npx tsx bench/memory.ts ${process.argv.slice(2).join(" ")}\`. Load average at the start and after each round: ${loadAverages.map((l) => l.join("/")).join("; ")}.`,
    "",
    "| variant | compiler | node flags, environment, overlay | idle RSS MB (each start) | settled idle RSS MB | peak RSS MB, browse | listing CPU ms/req | browse CPU ms/req | listing CPU × " + base + " | browse CPU × " + base + " | listing req/s | browse req/s | others' CPU % |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const cpu = (m: Measured) => m.cpuMsPerRequest.gateway!;
  for (const v of variants) {
    const idle = of(v.name).map((r) => r.idleRssMb);
    const settled = of(v.name).map((r) => r.settledRssMb);
    const peak = metric(v.name, "browse", (m) => m.peakRssMb.gateway!);
    const lc = metric(v.name, "listing", cpu);
    const bc = metric(v.name, "browse", cpu);
    const others = [...metric(v.name, "listing", (m) => m.otherLoadPct), ...metric(v.name, "browse", (m) => m.otherLoadPct)];
    lines.push(
      `| ${v.name} | ${v.compiler} | ${[...v.nodeArgs, ...Object.entries(v.env).map(([k, x]) => `${k}=${x}`), v.overlay ? `overlay ${path.relative(repoRoot, v.overlay)}` : ""].filter(Boolean).join(" ") || "–"} | ${idle.join(", ")} (mean ${Math.round(mean(idle))}) | ${settled.join(", ")} (mean ${Math.round(mean(settled))}) | ${peak.join(", ")} | ${lc.join(", ")} (mean ${mean(lc).toFixed(3)}) | ${bc.join(", ")} (mean ${mean(bc).toFixed(3)}) | ` +
        `${round2(mean(lc) / mean(metric(base, "listing", cpu)))} | ${round2(mean(bc) / mean(metric(base, "browse", cpu)))} | ` +
        `${metric(v.name, "listing", (m) => Math.round(m.load.requestsPerSecond)).join(", ")} | ${metric(v.name, "browse", (m) => Math.round(m.load.requestsPerSecond)).join(", ")} | ${others.join(", ")} |`,
    );
  }
  if (db === "postgres") {
    lines.push("", "PostgreSQL CPU ms/request (listing; browse), per start: " + variants.map((v) => `${v.name} ${metric(v.name, "listing", (m) => m.postgresCpuMsPerRequest ?? NaN).join("/")}; ${metric(v.name, "browse", (m) => m.postgresCpuMsPerRequest ?? NaN).join("/")}`).join(" · "));
  }
  lines.push("", "p50/p99 ms (listing; browse), per start: " + variants.map((v) => `${v.name} ${metric(v.name, "listing", (m) => m.load.latencyMs.p50).join("/")} / ${metric(v.name, "listing", (m) => m.load.latencyMs.p99).join("/")}; ${metric(v.name, "browse", (m) => m.load.latencyMs.p50).join("/")} / ${metric(v.name, "browse", (m) => m.load.latencyMs.p99).join("/")}`).join(" · "));
  const md = `${lines.join("\n")}\n`;
  const name = argv.out ?? `gateway-${localDate()}-memory-compare-${db}`;
  const outBase = path.join(repoRoot, "bench/results", name);
  fs.writeFileSync(`${outBase}.md`, md);
  fs.writeFileSync(`${outBase}.json`, `${JSON.stringify({ date: localDate(), git: gitState(), db, size, argv: process.argv.slice(2), loadAverages, variants, results }, null, 2)}\n`);
  console.log(`\n${md}\nresults: ${path.relative(repoRoot, outBase)}.md`);
}
