/**
 * Start-up time and idle memory of the gateway: TypeScript compiled at run time (tsx) vs the
 * production build (`npm run build`, plain node), side by side in one run.
 * `npm run bench:startup -- [--runs 3] [--out startup-<date>]` → bench/results/<out>.{md,json}
 *
 * Each start: a fresh process (NODE_ENV=production, embedded PGlite) on a data directory that already
 * exists (a restart, the common case: the first start also creates the database), timed from spawn to
 * the first 200 of /readyz; RSS read from /proc 5 s later, with no traffic.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { freePort } from "../tests/utils/processes.ts";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, out: { type: "string" } } });
const runs = Number(values.runs);
const out = values.out ?? `startup-${new Date().toISOString().slice(0, 10)}`;

const MODES = {
  "tsx (npm start)": ["--import", "tsx", "gateway/index.ts"],
  "compiled (npm run start:prod)": ["dist/gateway/index.js"],
} as const;

async function startOnce(args: readonly string[], dataDir: string): Promise<{ readyMs: number; rssMb: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "warn", PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir },
    stdio: "ignore",
  });
  try {
    for (;;) {
      if (performance.now() - started > 120_000) throw new Error("not ready after 120 s");
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const readyMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 5000));
    const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
    return { readyMs, rssMb: rssKb / 1024 };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(1);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-startup-"));
const results: Record<string, { readyMs: number; rssMb: number }[]> = {};
try {
  // Creates the database (migrations) once, so every measured start is a restart.
  await startOnce(MODES["compiled (npm run start:prod)"], dataDir);
  for (let i = 0; i < runs; i++) {
    for (const [mode, args] of Object.entries(MODES)) (results[mode] ??= []).push(await startOnce(args, dataDir));
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows = Object.entries(results).map(([mode, rs]) => ({
  mode,
  readyMs: median(rs.map((r) => r.readyMs)),
  rssMb: median(rs.map((r) => r.rssMb)),
}));
const md = [
  `# Gateway start-up: tsx vs compiled (${new Date().toISOString()})`,
  "",
  `Embedded PGlite, NODE_ENV=production, a restart on an existing data directory; median of ${runs} alternating runs. Command: \`npm run bench:startup -- --runs ${runs}\`.`,
  "",
  "| mode | spawn → /readyz 200 | idle RSS after 5 s |",
  "| --- | --- | --- |",
  ...rows.map((r) => `| ${r.mode} | ${Math.round(r.readyMs)} ms | ${r.rssMb.toFixed(0)} MB |`),
  "",
].join("\n");
fs.writeFileSync(path.join(root, "bench/results", `${out}.md`), md);
fs.writeFileSync(path.join(root, "bench/results", `${out}.json`), JSON.stringify(results, null, 2));
console.log(md);
