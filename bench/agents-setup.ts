/**
 * The deployment bench/agents.ts measures: a database of its own (a copy of a seeded data set), a
 * Redis server of its own, the gateway with every subgraph in one process that serves but works no
 * agent runs (AGENT_WORKERS=off), and `npm run start:worker` processes that do.
 */
import { execFile, fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { newestModel, trainAndStore } from "../subgraphs/agents/models/categorizer-store.ts";
import { loadAgents } from "../subgraphs/agents/runtime/registry.ts";
import { freePort, spawnCommand, spawnServer, waitUntilReady, type ServerProcess } from "../tests/utils/processes.ts";
import type { BrowseResult, BrowseSpec } from "./agents-browse.ts";
import { databaseUrl, repoRoot } from "./datasets.ts";
import { serverEnv, sleep, startServer, stopChild, track, type Server } from "./harness.ts";

/**
 * How the processes run: "tsx" as the other benchmarks and `npm start` do (node --import tsx on the
 * sources), or "dist" as the Dockerfile does (`node dist/…`): compiled by `tsc -p tsconfig.build.json`
 * into bench/.data/dist (not the tree's dist/, which is others' to build), with the files `npm run
 * build` copies beside it.
 */
export type Runtime = "tsx" | "dist";
export const DIST_DIR = path.join(repoRoot, "bench/.data/dist");

const ASSETS = ["lib/db/pglite-worker.mjs", "lib/db/pglite-extensions.mjs", "gateway/persisted-operations.json"];

export async function buildDist(): Promise<{ seconds: number; typeErrors: number }> {
  const started = performance.now();
  fs.rmSync(DIST_DIR, { recursive: true, force: true });
  const tsc = path.join(repoRoot, "node_modules/typescript/bin/tsc");
  // Emitted even with type errors (others' work in progress in the tree): they are counted and reported.
  const output = await new Promise<string>((resolve) =>
    execFile(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", DIST_DIR], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout, stderr) => resolve(`${stdout}${stderr}`)),
  );
  if (!fs.existsSync(path.join(DIST_DIR, "subgraphs/agents/worker.js"))) throw new Error(`tsc emitted no worker:\n${output.slice(0, 3000)}`);
  const copy = (file: string) => fs.cpSync(path.join(repoRoot, file), path.join(DIST_DIR, file), { recursive: true });
  for (const file of ASSETS) copy(file);
  for (const name of fs.readdirSync(path.join(repoRoot, "subgraphs"))) if (fs.existsSync(path.join(repoRoot, "subgraphs", name, "schema.graphql"))) copy(`subgraphs/${name}/schema.graphql`);
  copy("gateway/admin/public");
  copy("prisma/migrations");
  return { seconds: Math.round((performance.now() - started) / 100) / 10, typeErrors: (output.match(/error TS\d+/g) ?? []).length };
}

/** The script of a process for the runtime: its source, or its compiled file. */
const script = (runtime: Runtime, source: string) => (runtime === "tsx" ? source : path.join(DIST_DIR, source.replace(/\.ts$/, ".js")));

/** A fresh database copied from `template` (CREATE DATABASE … TEMPLATE), waiting while others use it. */
export async function copyDatabase(adminUrl: string, template: string, name: string, maxWaitSeconds = 300): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const deadline = Date.now() + maxWaitSeconds * 1000;
    for (let announced = false; ; announced = true) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return databaseUrl(adminUrl, name);
      } catch (error) {
        // 55006: the template has other sessions (another benchmark reading it): wait for them.
        if ((error as { code?: string }).code !== "55006" || Date.now() > deadline) throw error;
        if (!announced) console.log(`  ${template} is in use by another session: waiting (at most ${maxWaitSeconds} s)…`);
        await sleep(3_000);
      }
    }
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export interface AgentsData {
  /** The categorizer model the moderator classifies with: trained here, or found in the copy. */
  model: { id: string; trainedHere: boolean; trainedOn: number; categories: number; vocabulary: number; heldOutTop1: number; seconds: number };
  /** Agents whose schedules were switched off in the copy. */
  schedulesOff: string[];
}

/**
 * The copy made like a deployment's database once its categorizer has run (daily, and on demand): the
 * moderator suggests a category on every run when a model is stored and skips it when none is, so a
 * burst on a freshly seeded copy measured less than production does (the classifier was ≈ 75 % of a
 * run's worker CPU on 2026-12-03, bench/results/agents-2026-12-03-summary.md). Trained as the agent
 * trains (trainAndStore: the active listings, a worker thread), unless the copy has a model already
 * (a --template made with one). The scheduled agents (taita every 5 minutes, the categorizer) are
 * switched off in the copy: a run of theirs in one burst and not in the next would make runs compared
 * side by side disagree; --also queues them on purpose.
 */
export async function prepareAgentsData(url: string): Promise<AgentsData> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sql = async <Row,>(text: string, values: readonly unknown[] = []) => (await client.query(text, [...values])).rows as Row[];
    const started = performance.now();
    const found = await newestModel(sql);
    const stored = found ?? (await trainAndStore(sql));
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const { trainedOn, categories, vocabulary, heldOut } = stored.metrics;
    const scheduled = [...(await loadAgents()).values()].filter((a) => a.schedule).map((a) => a.name);
    for (const agent of scheduled) {
      await sql(
        `INSERT INTO "AgentSetting" (agent, enabled, schedule, "updatedAt") VALUES ($1::text, false, '', now())
         ON CONFLICT (agent) DO UPDATE SET enabled = false, schedule = '', "updatedAt" = now()`,
        [agent],
      );
    }
    return { model: { id: stored.id, trainedHere: !found, trainedOn, categories, vocabulary, heldOutTop1: heldOut.top1, seconds }, schedulesOff: scheduled };
  } finally {
    await client.end();
  }
}

/** PING over a raw socket: true when a Redis server answers +PONG. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => {
      resolve(data.toString().startsWith("+PONG"));
      socket.destroy();
    });
    socket.on("error", () => resolve(false));
    socket.on("close", () => resolve(false));
  });
}

/**
 * A Redis server of the benchmark's own: pub/sub channels are global to a server (whatever the
 * database number), and the runs publish agents:all tens of thousands of times, which the stacks of
 * tests running on the shared server would receive.
 */
export async function startRedis(): Promise<{ url: string; proc: ServerProcess }> {
  const port = await freePort();
  const proc = spawnCommand("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {});
  track(proc.child);
  for (let i = 0; i < 100; i++) {
    if (await redisAnswers(port)) return { url: `redis://127.0.0.1:${port}`, proc };
    if (proc.child.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`redis-server did not start:\n${proc.output()}`);
}

/** What the gateway and the workers get: the same database, Redis and settings. */
export function deploymentEnv(databaseUrl: string, redisUrl: string, extra: Record<string, string>): Record<string, string> {
  return {
    ...serverEnv("production", { DATABASE_URL: databaseUrl }),
    REDIS_URL: redisUrl,
    AGENT_WORKERS: "off",
    // The chat's scam scans queue moderator runs of their own: none here (the chat is empty anyway).
    CHAT_SCAN_INTERVAL_SECONDS: "0",
    ...extra,
  };
}

export function startGateway(runtime: Runtime, env: Record<string, string>): Promise<Server> {
  return runtime === "tsx" ? startServer("gateway", "gateway/index.ts", [], env, "/readyz") : startCompiled("gateway", script(runtime, "gateway/index.ts"), env);
}

/** A compiled server: `node <file>`, ready once /readyz answers. */
async function startCompiled(name: string, file: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const proc = spawnCommand(process.execPath, [file], { ...env, PORT: String(port), HOST: "127.0.0.1" });
  track(proc.child);
  const started = performance.now();
  await waitUntilReady(proc, `http://127.0.0.1:${port}/readyz`);
  console.log(`    ${name} ready on :${port} (pid ${proc.child.pid}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { name, proc, pid: proc.child.pid!, port, graphqlUrl: `http://127.0.0.1:${port}/graphql` };
}

export interface WorkerProcess {
  name: string;
  proc: ServerProcess;
  pid: number;
}

/**
 * Preloaded into each worker (NODE_OPTIONS --import, a data: URL: no file of the app changes): on
 * SIGUSR2 it prints process.memoryUsage() as one JSON line, what RSS is made of (V8 heap, external,
 * array buffers; the rest is code, WebAssembly memory and native allocations).
 */
const MEMORY_REPORTER = "data:text/javascript,process.on('SIGUSR2',()=>console.log(JSON.stringify({benchMemory:process.memoryUsage()})))";

export interface MemoryUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** A worker's process.memoryUsage() now, MB (null when it does not answer within 5 s). */
export async function workerMemoryUsage(worker: WorkerProcess): Promise<MemoryUsage | null> {
  const seen = worker.proc.output().length;
  worker.proc.child.kill("SIGUSR2");
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    const line = worker.proc.output().slice(seen).split("\n").find((l) => l.includes('"benchMemory"'));
    if (line) {
      const usage = (JSON.parse(line) as { benchMemory: MemoryUsage }).benchMemory;
      return Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, Math.round((v / 1048576) * 10) / 10])) as unknown as MemoryUsage;
    }
  }
  return null;
}

/**
 * The node flags the deployment starts a worker with: package.json's start:worker:prod (`exec node
 * <flags> dist/subgraphs/agents/worker.js`), the one home of them (compose.yaml repeats them).
 */
export function deploymentWorkerFlags(): string[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const words = scripts["start:worker:prod"]!.split(/\s+/);
  return words.slice(words.indexOf("node") + 1, -1).filter((word) => word.startsWith("--"));
}

/** An agent worker (`npm run start:worker`), ready once it logs so (it serves no HTTP). */
export async function startWorker(name: string, runtime: Runtime, env: Record<string, string>, flags = deploymentWorkerFlags()): Promise<WorkerProcess> {
  const started = performance.now();
  // Its probes (/healthz, /readyz) listen on PORT: each worker on a port of its own.
  const workerEnv = { ...env, PORT: String(await freePort()), HOST: "127.0.0.1", LOG_LEVEL: "info", NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --import=${MEMORY_REPORTER}`.trim() };
  const proc =
    runtime === "tsx" ? spawnServer("subgraphs/agents/worker.ts", [], workerEnv, flags) : spawnCommand(process.execPath, [...flags, script(runtime, "subgraphs/agents/worker.ts")], workerEnv);
  track(proc.child);
  const deadline = Date.now() + 120_000;
  while (!proc.output().includes("agent worker ready")) {
    if (Date.now() > deadline || proc.child.exitCode !== null) throw new Error(`${name} not ready:\n${proc.output()}`);
    await sleep(100);
  }
  console.log(`    ${name} ready (pid ${proc.child.pid}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { name, proc, pid: proc.child.pid! };
}

/** Stops a worker; what it printed beyond its start-up lines (pino JSON at info). */
export async function stopWorker(worker: WorkerProcess): Promise<string> {
  await stopChild(worker.proc.child);
  return worker.proc
    .output()
    .split("\n")
    .filter((line) => line.trim() && !/"msg":"(agent worker ready|shutting down)"/.test(line) && !line.includes('"benchMemory"'))
    .join("\n")
    .slice(0, 4_000);
}

/** The browse load's child process (bench/agents-browse.ts). */
export class BrowseLoad {
  private result?: Promise<BrowseResult>;

  private constructor(
    private readonly child: ChildProcess,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  static async start(spec: BrowseSpec): Promise<BrowseLoad> {
    const child = fork(path.join(repoRoot, "bench/agents-browse.ts"), [JSON.stringify(spec)], { cwd: repoRoot, execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    track(child);
    const load = new BrowseLoad(child);
    load.result = new Promise((resolve, reject) => {
      child.on("message", (m: { result?: BrowseResult }) => m.result && resolve(m.result));
      child.once("exit", (code) => reject(new Error(`the browse load exited (${code}) without a result`)));
    });
    await new Promise<void>((resolve, reject) => {
      child.on("message", (m: { ready?: boolean }) => m.ready && resolve());
      child.once("exit", (code) => reject(new Error(`the browse load exited (${code}) before it was ready`)));
    });
    return load;
  }

  phase(name: string): void {
    this.child.send({ phase: name });
  }

  stop(): Promise<BrowseResult> {
    this.child.send({ stop: true });
    return this.result!;
  }
}
