/**
 * What the API's operation recorder (lib/observability) costs: `npx tsx bench/operation-recorder.ts`
 *
 *   --rounds 2        gateway processes per variant (recorder off, on), alternated off/on/on/off…
 *   --requests 1500   measured requests each             --connections 2     --warmup 3 (seconds)
 *   --source piata_bench_2000   the PostgreSQL data set copied for the run (bench:gateway makes it)
 *   --pg-url postgres://postgres@127.0.0.1:5432/postgres
 *   --quiet-wait 30   before each measured load, wait up to this many seconds while others use > 25 % of the machine
 *
 * 1. In process: the recorder's calls alone (an operation, a statement), ns each.
 * 2. Through the embedded production gateway (NODE_ENV=production, so no SQL count unless the recorder
 *    asks for it) on a copy of the data set: the browse query's gateway CPU per request and latency, with
 *    OPERATION_RECORDER off and on. On, the gateway also counts SQL per request (AsyncLocalStorage).
 * Prints a Markdown table; CPU per request is the figure to read on a shared machine.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { pino } from "pino";
import { OperationRecorder } from "../lib/observability/operation-recorder.ts";
import type { PrismaClient } from "../lib/db/database.ts";
import { measure, serverEnv, setQuietWait, startServer, stopServers } from "./harness.ts";
import { QUERIES } from "./operations.ts";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "2" },
    requests: { type: "string", default: "1500" },
    connections: { type: "string", default: "2" },
    warmup: { type: "string", default: "3" },
    source: { type: "string", default: "piata_bench_2000" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    "quiet-wait": { type: "string", default: "30" },
  },
});
// Others share the machine: wait (up to --quiet-wait s a run) until they use under 25 % of it.
setQuietWait(Number(args["quiet-wait"]), 25, Number(args["quiet-wait"]) * 20);

function inProcess(): { operationNs: number; statementNs: number } {
  const recorder = new OperationRecorder({} as PrismaClient, pino({ level: "silent" }));
  const names = Array.from({ length: 50 }, (_, i) => `Operation${i}`);
  const texts = Array.from({ length: 200 }, (_, i) => `SELECT "id", "title" FROM "public"."Listing" WHERE "sellerId" = $1 AND "n" = ${i} LIMIT $2`);
  const time = (n: number, fn: (i: number) => void) => {
    for (let i = 0; i < n; i++) fn(i);
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    return Number(process.hrtime.bigint() - start) / n;
  };
  return {
    operationNs: time(500_000, (i) => recorder.operation(names[i % names.length]!, (i % 1000) / 10, i % 7)),
    statementNs: time(500_000, (i) => recorder.statement(texts[i % texts.length]!, (i % 100) / 10)),
  };
}

async function copyDataset(adminUrl: string, source: string, target: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${target} TEMPLATE ${source}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${target}`;
  return url.toString();
}

async function dropDataset(adminUrl: string, target: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
  await admin.end();
}

const micro = inProcess();
console.log(`in process: recorder.operation ${micro.operationNs.toFixed(0)} ns, recorder.statement ${micro.statementNs.toFixed(0)} ns`);

const target = "piata_recorder_bench";
const url = await copyDataset(args["pg-url"], args.source, target);
const rows: string[] = [];
try {
  const rounds = Number(args.rounds);
  const variants = Array.from({ length: rounds * 2 }, (_, i) => (Math.floor((i + 1) / 2) % 2 === 0 ? "off" : "on"));
  for (const variant of variants) {
    const env = { ...serverEnv("production", { DATABASE_URL: url }), OPERATION_RECORDER: variant === "on" ? "true" : "false", OPERATION_RECORDER_FLUSH_SECONDS: "5" };
    const server = await startServer(`gateway (recorder ${variant})`, "gateway/index.ts", [], env, "/readyz");
    try {
      const body = JSON.stringify({ query: QUERIES.browse.gateway });
      const spec = { url: server.graphqlUrl, body, connections: Number(args.connections), durationSeconds: 0, amount: Number(args.requests) };
      const result = await measure({ spec, warmup: { ...spec, amount: undefined, durationSeconds: Number(args.warmup) } }, { gateway: server.pid }, true);
      const line = `| ${variant} | ${result.load.requestsPerSecond.toFixed(0)} | ${result.load.latencyMs.p50.toFixed(2)} | ${result.load.latencyMs.p99.toFixed(2)} | ${result.cpuMsPerRequest.gateway!.toFixed(3)} | ${result.postgresCpuMsPerRequest?.toFixed(3) ?? "-"} | ${result.machineBusyPct.toFixed(0)} % (${result.otherLoadPct.toFixed(0)} % others) |`;
      console.log(line);
      rows.push(line);
    } finally {
      await stopServers([server]);
    }
  }
} finally {
  await dropDataset(args["pg-url"], target);
}
console.log(`\nBROWSE through the embedded production gateway on PostgreSQL (${args.source}), ${args.connections} connections, ${args.requests} requests each:\n`);
console.log("| recorder | req/s | p50 ms | p99 ms | gateway CPU ms/req | PostgreSQL CPU ms/req | machine busy |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const row of rows) console.log(row);
