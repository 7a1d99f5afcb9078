/**
 * Small helpers of bench/search.ts and its children: exact percentiles (nearest rank, as
 * bench/load-worker.ts computes them) and the CPU of one database's PostgreSQL backends, read from
 * /proc (the machine's other databases, which others' tests use meanwhile, are not counted).
 */
import { CLK_TCK, procTimes } from "./harness.ts";

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;

/** Nearest rank: the smallest value with at least p % of the values at or below it. */
export function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : 0);
  const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
  return { n: values.length, p50: r3(at(50)), p95: r3(at(95)), p99: r3(at(99)), max: r3(at(100)), mean: r3(mean) };
}

export function backendPids(rows: { pid: number | string }[]): number[] {
  return rows.map((r) => Number(r.pid));
}

/** CPU ms (user + system) of each of these processes that still exists. */
export function cpuByPid(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const t = procTimes(pid);
    if (t) out.set(pid, ((t[0]! + t[1]!) * 1000) / CLK_TCK);
  }
  return out;
}

/**
 * CPU used between the samples: the growth of the processes in both, and all of the CPU of those that
 * started meanwhile (a pool opening connections under load). A process that ended meanwhile is lost
 * (its last CPU is unknown): the pools here keep their connections for 10 s of idleness.
 */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, end] of after) ms += end - (before.get(pid) ?? 0);
  return ms;
}
