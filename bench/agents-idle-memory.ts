/**
 * The agent worker's memory without a burst: `node --import tsx bench/agents-idle-memory.ts <tree> <label>`
 * (<tree>: a checkout whose bench/.data/dist holds a build: bench:agents --runtime dist makes one).
 * Starts the compiled worker on a fresh copy of piata_bench_2000 (REDIS_URL 127.0.0.1:6379), reads its
 * VmRSS / VmHWM idle, then after one run of each other agent queued as an admin's would be: which of
 * them bring memory into the worker for good (Prisma's client and query compiler, before 7c5a59c).
 * No burst and little CPU: it needs no bench lock. Results: bench/results/agents-2026-12-02-h9-summary.md §2.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import PgBoss from "pg-boss";

const [tree, label = "worker"] = process.argv.slice(2);
if (!tree) throw new Error("usage: agents-idle-memory.ts <tree with bench/.data/dist> [label]");
const admin = "postgres://postgres@127.0.0.1:5432/postgres";
const name = `piata_idle_memory_${label.replace(/\W/g, "_")}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const client = new pg.Client({ connectionString: admin });
await client.connect();
await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await client.query(`CREATE DATABASE ${name} TEMPLATE piata_bench_2000`);
const url = `postgres://postgres@127.0.0.1:5432/${name}`;
const env = {
  ...process.env,
  NODE_ENV: "production",
  LOG_LEVEL: "info",
  DATABASE_URL: url,
  REDIS_URL: "redis://127.0.0.1:6379/0",
  PORT: "0",
  HOST: "127.0.0.1",
  JWT_SECRET: "x".repeat(40),
  MALLOC_ARENA_MAX: "2",
  AGENT_POLLING_INTERVAL_SECONDS: "0.5",
};
const worker = spawn(process.execPath, [path.join(tree, "bench/.data/dist/subgraphs/agents/worker.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
let output = "";
worker.stdout.on("data", (d: Buffer) => (output += d));
worker.stderr.on("data", (d: Buffer) => (output += d));
while (!output.includes("agent worker ready")) {
  if (worker.exitCode !== null) throw new Error(output);
  await sleep(200);
}
const memory = () => {
  const status = fs.readFileSync(`/proc/${worker.pid}/status`, "utf8");
  const mb = (key: string) => (Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) / 1024).toFixed(1);
  return `RSS ${mb("VmRSS")} HWM ${mb("VmHWM")}`;
};
await sleep(3_000);
console.log(label, "ready + 3 s (the copy's stale scheduled jobs run)", memory());
await sleep(15_000);
console.log(label, "idle + 18 s", memory());

const boss = new PgBoss({ connectionString: url, schema: "pgboss", supervise: false, schedule: false });
await boss.start();
const db = new pg.Client({ connectionString: url });
await db.connect();
const listing = (await db.query<{ id: string; sellerId: string }>(`SELECT id, "sellerId" FROM "Listing" WHERE status = 'ACTIVE' LIMIT 1`)).rows[0]!;
const runs: [string, object, number][] = [
  ["taita", {}, 4_000],
  ["pricer", { listingId: listing.id }, 4_000],
  ["phitagora", {}, 4_000],
  ["copywriter", { listingId: listing.id }, 4_000],
  ["manus", { sellerId: listing.sellerId, urls: ["https://example.invalid/feed.json"] }, 4_000],
  ["categorizer", {}, 8_000],
];
for (const [agent, input, wait] of runs) {
  const id = await boss.send(`agent-${agent}`, { goal: "idle-memory probe", input });
  await sleep(wait);
  const status = (await db.query<{ status: string }>(`SELECT status FROM "AgentRun" WHERE id = $1`, [id])).rows[0]?.status ?? "not final";
  console.log(label, `after one ${agent} run (${status})`, memory());
}
worker.kill("SIGTERM");
await sleep(3_000);
await boss.stop({ graceful: false });
await db.end();
await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await client.end();
