/**
 * A production build for the benchmarks, in a directory of their own (bench/.data/dist): `npm run
 * build` writes dist/, which others' tests build and run meanwhile. The same compiler settings
 * (tsconfig.build.json, plus bench/stock-gateway.ts) and the same assets: the `cp` steps of
 * package.json's build script, read from there so that the list has one home.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DATA_ROOT, repoRoot } from "./datasets.ts";

export const BENCH_DIST = path.join(DATA_ROOT, "dist");

export function buildForBench(outDir = BENCH_DIST): string {
  const started = performance.now();
  fs.rmSync(outDir, { recursive: true, force: true });
  const tsc = path.join(repoRoot, "node_modules/typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "bench/tsconfig.build.json", "--outDir", outDir], { cwd: repoRoot, stdio: "inherit" });
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: { build: string } };
  const copies = pkg.scripts.build
    .split("&&")
    .map((step) => step.trim())
    .filter((step) => step.startsWith("cp "));
  if (!copies.length) throw new Error(`no cp step in package.json's build script: ${pkg.scripts.build}`);
  for (const step of copies) execFileSync("sh", ["-c", step.replace(/\bdist\//g, `${outDir}/`)], { cwd: repoRoot, stdio: "inherit" });
  console.log(`production build for the benchmark: ${path.relative(repoRoot, outDir)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return outDir;
}
