/**
 * The peer gateways of bench/gateway.ts (bench/stock-remote-gateway.ts, bench/hive-gateway.ts) in a
 * production build, so that they run as plain node like the gateway they are compared with. They are
 * not in bench/tsconfig.build.json's list: compiled here with its settings into a scratch directory,
 * and only their own .js files are copied into the build. What they import (lib/, gateway/,
 * subgraphs/) is the build's own, which may be a --dist copy with a file swapped for a before/after.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DATA_ROOT, repoRoot } from "./datasets.ts";

export function buildPeers(distDir: string, scripts: string[]): void {
  if (!scripts.length) return;
  const started = performance.now();
  // Beside bench/.data/dist, at the same depth: the source maps' relative paths hold once copied.
  const scratch = path.join(DATA_ROOT, "peers-build");
  const configPath = path.join(DATA_ROOT, "peers-build.tsconfig.json");
  fs.rmSync(scratch, { recursive: true, force: true });
  // Paths in a tsconfig are relative to the file: absolute ones. Only the scripts, what they import,
  // and the ambient declarations of the build's folders (e.g. an untyped package's .d.ts).
  const config = {
    extends: path.join(repoRoot, "bench/tsconfig.build.json"),
    compilerOptions: { rootDir: repoRoot, outDir: scratch },
    include: ["lib", "subgraphs", "gateway", "prisma"].map((dir) => path.join(repoRoot, dir, "**/*.d.ts")),
    files: scripts.map((s) => path.join(repoRoot, s)),
  };
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
  const tsc = path.join(repoRoot, "node_modules/typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", configPath], { cwd: repoRoot, stdio: "inherit" });
    // The scripts, and what they import that the build lacks (e.g. tests/utils/hive-runtime.ts).
    const emitted = fs.readdirSync(scratch, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
    const wanted = new Set(scripts.map((s) => s.replace(/\.ts$/, ".js")));
    for (const js of emitted.filter((f) => wanted.has(f) || !fs.existsSync(path.join(distDir, f)))) {
      fs.mkdirSync(path.dirname(path.join(distDir, js)), { recursive: true });
      for (const file of [js, `${js}.map`]) fs.copyFileSync(path.join(scratch, file), path.join(distDir, file));
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(configPath, { force: true });
  }
  console.log(`peer gateways built into ${path.relative(repoRoot, distDir)} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${scripts.join(", ")}`);
}
