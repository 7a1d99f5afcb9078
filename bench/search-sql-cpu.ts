/**
 * PostgreSQL CPU per search, side by side for the SQL of several code versions: the statements each
 * kind sends, as `npm run bench:search -- --parts explain` recorded them in a results JSON (one file
 * per version), run on one connection of the same database, the versions taking turns, each kind
 * `--runs` times; the backend's CPU (user + system, /proc) per run of a kind's statements. On a busy
 * shared machine this moves far less than latency: waiting for a core costs no CPU.
 *
 *   node --import tsx bench/search-sql-cpu.ts --results a.json,b.json [--labels before,after] \
 *     [--kinds word,two-words] [--runs 30] [--size 100000] [--out bench/results/x.json]
 *     [--databases piata_bench_100000_before,piata_bench_100000]
 *
 * --databases: each version's own database (one connection each), for versions whose schemas differ
 * (a copy of the data set made before a migration, CREATE DATABASE … TEMPLATE); default: one database.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { CLK_TCK, procTimes } from "./harness.ts";

const { values: argv } = parseArgs({
  options: {
    results: { type: "string" },
    labels: { type: "string" },
    kinds: { type: "string" },
    runs: { type: "string", default: "30" },
    size: { type: "string", default: "100000" },
    database: { type: "string" },
    databases: { type: "string" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    out: { type: "string" },
  },
  strict: true,
});

interface Recorded {
  name: string;
  sql: string;
  values: unknown[];
}

const files = (argv.results ?? "").split(",").filter(Boolean);
if (!files.length) throw new Error("--results a.json[,b.json…] is required");
const labels = argv.labels?.split(",") ?? files;
const size = Number(argv.size);
const runs = Number(argv.runs);

const versions = files.map((file, i) => {
  const results = JSON.parse(fs.readFileSync(file, "utf8")) as { explain: { size: number; backend: string; kinds: Record<string, Recorded[]> }[] };
  const recorded = results.explain.find((e) => e.size === size && e.backend === "postgres");
  if (!recorded) throw new Error(`${file} has no PostgreSQL EXPLAIN at ${size}`);
  return { label: labels[i] ?? file, kinds: recorded.kinds };
});
const kinds = argv.kinds?.split(",") ?? Object.keys(versions[0]!.kinds);

/** Recorded values as bound again: ISO timestamps back to dates. */
const bound = (values: unknown[]) => values.map((v) => (typeof v === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) ? new Date(v) : v));

const databaseNames = argv.databases?.split(",") ?? [argv.database ?? `piata_bench_${size}`];
if (databaseNames.length !== 1 && databaseNames.length !== versions.length) throw new Error("--databases: one, or one per version");
const clients = new Map<string, { client: pg.Client; pid: number }>();
for (const name of new Set(databaseNames)) {
  const url = new URL(argv["pg-url"]);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  clients.set(name, { client, pid });
}
const connectionOf = (version: number) => clients.get(databaseNames[databaseNames.length === 1 ? 0 : version]!)!;
const cpuMs = (pid: number) => {
  const t = procTimes(pid)!;
  return ((t[0]! + t[1]!) * 1000) / CLK_TCK;
};

async function runKind(version: number, statements: Recorded[]): Promise<{ cpuMs: number; wallMs: number }> {
  const { client, pid } = connectionOf(version);
  const cpu = cpuMs(pid);
  const wall = performance.now();
  for (const s of statements) await client.query(s.sql, bound(s.values));
  return { cpuMs: cpuMs(pid) - cpu, wallMs: performance.now() - wall };
}

const out: { kind: string; version: string; statements: string[]; runs: number; cpuMsPerRun: number; wallMsPerRun: number }[] = [];
try {
  for (const kind of kinds) {
    const totals = versions.map(() => ({ cpuMs: 0, wallMs: 0 }));
    for (const [i, v] of versions.entries()) await runKind(i, v.kinds[kind] ?? []); // warm
    for (let run = 0; run < runs; run++) {
      for (const [i, v] of versions.entries()) {
        const r = await runKind(i, v.kinds[kind] ?? []);
        totals[i]!.cpuMs += r.cpuMs;
        totals[i]!.wallMs += r.wallMs;
      }
    }
    const line = versions.map((v, i) => `${v.label} ${(totals[i]!.cpuMs / runs).toFixed(2)} ms CPU (${(totals[i]!.wallMs / runs).toFixed(1)} wall)`);
    console.log(`${kind.padEnd(14)} ${line.join(" · ")}`);
    for (const [i, v] of versions.entries()) {
      out.push({
        kind,
        version: v.label,
        statements: (v.kinds[kind] ?? []).map((s) => s.name),
        runs,
        cpuMsPerRun: Math.round((totals[i]!.cpuMs / runs) * 100) / 100,
        wallMsPerRun: Math.round((totals[i]!.wallMs / runs) * 100) / 100,
      });
    }
  }
} finally {
  for (const { client } of clients.values()) await client.end();
}
if (argv.out) fs.writeFileSync(argv.out, `${JSON.stringify({ command: `node --import tsx bench/search-sql-cpu.ts ${process.argv.slice(2).join(" ")}`, size, runs, databases: databaseNames, results: out }, null, 1)}\n`);
