/**
 * Two runs of `npm run bench:search` side by side (the cells at 1 client): latencies, CPU ms per request
 * of the processes and of PostgreSQL, and their ratios, as markdown tables for gateway and subgraph.
 *
 *   node --import tsx bench/search-compare.ts bench/results/<before>.json bench/results/<after>.json
 */
import fs from "node:fs";

interface Cell {
  kind: string;
  target: string;
  clients: number;
  latencyMs: { p50: number; p95: number; p99: number };
  cpuMsPerRequest: Record<string, number>;
  databaseCpuMsPerRequest: number | null;
  otherLoadPct: number | null;
  answer?: { count: number };
}

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile) throw new Error("usage: search-compare.ts <before.json> <after.json>");
const read = (file: string) => (JSON.parse(fs.readFileSync(file, "utf8")) as { cells: Cell[] }).cells.filter((c) => c.clients === 1);
const before = read(beforeFile);
const after = read(afterFile);
const f = (n: number | null) => (n === null ? "–" : n.toFixed(1));
const processes = (c: Cell) => Object.values(c.cpuMsPerRequest).reduce((a, b) => a + b, 0);
const latency = (c: Cell) => `${f(c.latencyMs.p50)} · ${f(c.latencyMs.p95)} · ${f(c.latencyMs.p99)}`;

for (const target of ["gateway", "subgraph"]) {
  console.log(`\n#### ${target}, 1 client\n`);
  console.log("| kind | matches | before p50 · p95 · p99 ms | after p50 · p95 · p99 ms | CPU ms/req before (processes + PostgreSQL) | after | CPU after ÷ before | PostgreSQL CPU after ÷ before | target (p95) |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
  for (const a of after.filter((c) => c.target === target)) {
    const b = before.find((c) => c.target === target && c.kind === a.kind);
    if (!b) continue;
    const total = (c: Cell) => processes(c) + (c.databaseCpuMsPerRequest ?? 0);
    const goal = a.kind.startsWith("suggest") ? 10 : 20;
    const verdict = target === "gateway" ? (a.latencyMs.p95 <= goal ? `✅ ≤ ${goal}` : `❌ > ${goal}`) : "";
    const dbRatio = a.databaseCpuMsPerRequest !== null && b.databaseCpuMsPerRequest ? (a.databaseCpuMsPerRequest / b.databaseCpuMsPerRequest).toFixed(2) : "–";
    console.log(
      `| ${a.kind} | ${a.answer?.count.toLocaleString("en") ?? "–"} | ${latency(b)} | ${latency(a)} | ${f(processes(b))} + ${f(b.databaseCpuMsPerRequest)} | ${f(processes(a))} + ${f(a.databaseCpuMsPerRequest)} | ${(total(a) / total(b)).toFixed(2)} | ${dbRatio} | ${verdict} |`,
    );
  }
  const load = (cells: Cell[]) => cells.filter((c) => c.target === target && c.otherLoadPct !== null).map((c) => c.otherLoadPct!).sort((x, y) => x - y);
  const range = (l: number[]) => (l.length ? `${l[0]}–${l.at(-1)} % (median ${l[l.length >> 1]} %)` : "–");
  console.log(`\nOther processes' share of the machine: before ${range(load(before))}, after ${range(load(after))}.`);
}
