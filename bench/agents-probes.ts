/**
 * What bench/agents.ts reads while the runs go: processes' CPU and memory from /proc, the CPU of the
 * PostgreSQL backends serving the bench's own database (others run tests on the same server), and the
 * progress of the runs in the database.
 */
import fs from "node:fs";
import net from "node:net";
import type pg from "pg";
import { CLK_TCK, procTimes } from "./harness.ts";

const MB = 1024 * 1024;

/** utime + stime of a process, ms; NaN once it is gone. */
export function cpuMsOf(pid: number): number {
  const t = procTimes(pid);
  return t ? ((t[0]! + t[1]!) * 1000) / CLK_TCK : NaN;
}

/** Resident memory now and at its highest (VmRSS, VmHWM), MB; null once the process is gone. */
export function memoryOf(pid: number): { rssMB: number; hwmMB: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rssMB: Math.round((kb("VmRSS") * 1024 * 10) / MB) / 10, hwmMB: Math.round((kb("VmHWM") * 1024 * 10) / MB) / 10 };
  } catch {
    return null;
  }
}

/**
 * CPU of the backends connected to one database (client backends, autovacuum workers), sampled: each
 * sample lists them in pg_stat_activity and reads their /proc counters; a backend's CPU is its last
 * reading minus its first (zero for one that started after the first sample). A backend that ends
 * between two samples loses what it used since the last one; the app's pools keep theirs open while
 * busy. The probe's own connection is left out.
 */
export class BackendCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private started = false;

  constructor(
    private readonly client: pg.Client,
    private readonly database: string,
  ) {}

  async sample(): Promise<void> {
    const { rows } = await this.client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [this.database]);
    for (const { pid } of rows) {
      const ms = cpuMsOf(pid);
      if (Number.isNaN(ms)) continue;
      if (!this.first.has(pid)) this.first.set(pid, this.started ? 0 : ms);
      this.last.set(pid, ms);
    }
    this.started = true;
  }

  /** CPU ms used since the first sample. */
  totalMs(): number {
    let total = 0;
    for (const [pid, last] of this.last) total += last - this.first.get(pid)!;
    return Math.round(total);
  }

  backends(): number {
    return this.last.size;
  }
}

/** The runs of the burst by status (AgentRun), and their jobs by pg-boss state. */
export interface Progress {
  runs: Record<string, number>;
  jobs: Record<string, number>;
  /** Verdicts waiting on the listings subgraph's queue (created, retry, active). */
  verdictsPending: number;
}

export async function readProgress(client: pg.Client, since: Date, queue: string, verdictsQueue: string): Promise<Progress> {
  // One after the other: a pg.Client runs one query at a time.
  const runs = await client.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM "AgentRun" WHERE agent = 'moderator' AND "createdAt" >= $1 GROUP BY status`, [since]);
  const jobs = await client.query<{ state: string; n: number }>("SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = $1 AND created_on >= $2 GROUP BY state", [queue, since]);
  const verdicts = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')", [verdictsQueue]);
  return {
    runs: Object.fromEntries(runs.rows.map((r) => [r.status, r.n])),
    jobs: Object.fromEntries(jobs.rows.map((r) => [r.state, r.n])),
    verdictsPending: verdicts.rows[0]?.n ?? 0,
  };
}

export const finalRuns = (p: Progress) => (p.runs.SUCCEEDED ?? 0) + (p.runs.FAILED ?? 0) + (p.runs.CANCELLED ?? 0);

/**
 * Transactions of one database (pg_stat_database: commits + rollbacks − sessions, as bench/gateway.ts
 * counts statements): every statement sent outside an explicit transaction is one, so over a window
 * this counts the statements and transactions of every process using the database. Backends publish
 * their counters within a second or so of going idle.
 */
export async function transactionsOf(client: pg.Client, database: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>("SELECT xact_commit + xact_rollback - sessions AS n FROM pg_stat_database WHERE datname = $1", [database]);
  return Number(rows[0]?.n ?? NaN);
}

/** Calls per command of a Redis server (INFO commandstats), over a raw socket. */
export function redisCommandCalls(url: string): Promise<Record<string, number>> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port || 6379), hostname);
    let text = "";
    socket.setTimeout(5_000, () => socket.destroy(new Error("INFO: no answer")));
    socket.on("connect", () => socket.write("INFO commandstats\r\n"));
    socket.on("data", (data) => {
      text += data.toString();
      const header = /^\$(\d+)\r\n/.exec(text);
      if (header && Buffer.byteLength(text) >= header[0].length + Number(header[1])) {
        socket.destroy();
        resolve(Object.fromEntries([...text.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((m) => [m[1]!, Number(m[2])])));
      }
    });
    socket.on("error", reject);
  });
}
