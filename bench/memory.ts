/**
 * Where a server's memory goes: `npx tsx bench/memory.ts [--db postgres|pglite|both] [--size 2000]`.
 * Each stage is a fresh process from the production build (bench/build.ts) that does a bit more than
 * the one before; its RSS --settle s later (and V8's heap) is printed, so the differences between
 * stages are what each component costs. The data set is bench:gateway's (bench/datasets.ts).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../lib/logger.ts";
import { buildForBench } from "./build.ts";
import { prepareDataset, repoRoot } from "./datasets.ts";
import { JWT_SECRET, rssMb, serverEnv, sleep } from "./harness.ts";

const { values: argv } = parseArgs({
  options: {
    db: { type: "string", default: "both" },
    size: { type: "string", default: "2000" },
    settle: { type: "string", default: "8" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    "no-build": { type: "boolean", default: false },
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
