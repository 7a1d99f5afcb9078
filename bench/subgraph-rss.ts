/**
 * Idle RSS of the five subgraph processes of distributed mode (production build, PostgreSQL
 * piata_bench_2000, Redis), 5 s after each is ready: the working tree's build against the same build with
 * files laid over it (--base-overlay: e.g. an earlier lib/process.js), alternated over --rounds.
 *   npx tsx bench/subgraph-rss.ts --base-overlay <dir> [--rounds 3]
 * The data set must exist (bench:gateway or bench/memory.ts make it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildForBench } from "./build.ts";
import { JWT_SECRET, rssMb, serverEnv, sleep } from "./harness.ts";

const { values: argv } = parseArgs({ options: { "base-overlay": { type: "string" }, rounds: { type: "string", default: "3" } } });
if (!argv["base-overlay"]) throw new Error("--base-overlay <dir> is required");
const repo = path.resolve(import.meta.dirname, "..");
const newDist = buildForBench(path.join(repo, "bench/.data/probe-new"));
const baseDist = path.join(repo, "bench/.data/probe-base");
fs.rmSync(baseDist, { recursive: true, force: true });
fs.cpSync(newDist, baseDist, { recursive: true });
fs.cpSync(path.resolve(argv["base-overlay"]), baseDist, { recursive: true });
const names = ["users", "listings", "chat", "search", "agents"];
const env = { ...serverEnv("production", { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/piata_bench_2000" }), JWT_SECRET, HOST: "127.0.0.1", REDIS_URL: "redis://127.0.0.1:6379", MALLOC_ARENA_MAX: "2", PATH: process.env.PATH!, HOME: process.env.HOME! };
async function start(dist: string): Promise<number[]> {
  const children: ChildProcess[] = [];
  const ready = names.map((name, i) => new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(dist, "subgraphs/serve.js"), name], { env: { ...env, PORT: String(47100 + i), LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let out = "";
    child.stdout!.on("data", (c: Buffer) => { out += c; if (out.includes(`subgraph ${name} ready`)) resolve(); });
    child.stderr!.on("data", (c: Buffer) => (out += c));
    child.on("exit", () => reject(new Error(out)));
  }));
  await Promise.all(ready);
  await sleep(5000);
  const rss = children.map((c) => rssMb(c.pid!)!.rss);
  for (const c of children) c.kill("SIGKILL");
  await sleep(1000);
  return rss;
}
for (let round = 1; round <= Number(argv.rounds); round++) {
  for (const [label, dist] of round % 2 ? [["base", baseDist], ["new", newDist]] : [["new", newDist], ["base", baseDist]]) {
    const rss = await start(dist!);
    const line = `round ${round} ${label}: ${names.map((n, i) => `${n} ${rss[i]}`).join(", ")}; sum ${rss.reduce((a, b) => a + b, 0)} MB`;
    console.log(line);
  }
}
