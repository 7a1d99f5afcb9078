/**
 * What a common word's RELEVANCE page costs PostgreSQL, piece by piece: the same matches read with
 * more of the page's work each time — the scan alone (count), plus ts_rank, plus the freshness boost,
 * both (the score), the top 21 by score — and, with --statements, whole statements as
 * `npm run bench:search -- --parts explain` recorded them (a results JSON: each kind's page, and the
 * page without its ts_headline calls, which costs nothing else to compare). One connection, the
 * pieces taking turns, `--runs` times each; the backend's CPU (user + system, /proc; 10 ms ticks, so
 * take enough runs) and the client's wall time per run.
 *
 *   node --import tsx bench/search-page-parts.ts [--runs 60] [--query "'apartament'"]
 *     [--database piata_bench_100000] [--statements bench/results/<explain>.json --kinds word,typo,phrase]
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { CLK_TCK, procTimes } from "./harness.ts";

const { values: argv } = parseArgs({
  options: {
    runs: { type: "string", default: "60" },
    query: { type: "string", default: "'apartament'" },
    database: { type: "string", default: "piata_bench_100000" },
    statements: { type: "string" },
    kinds: { type: "string", default: "word,typo,phrase" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
  },
  strict: true,
});

const runs = Number(argv.runs);
const q = argv.query;
const at = Date.now() / 1000;
const MATCHES = `FROM "SearchDocument" d WHERE (d."expiresAt" IS NULL OR d."expiresAt" > now()) AND d.document @@ $1::tsquery`;
// search-sql.ts's score() for a word whose exact query is its loose one (exact = 1).
const FRESH = `0.2 / (1 + greatest(0, $2::float8 - d."publishedEpoch") / 2592000::float8)`;
const SCORE = `(1 + 0.8 * ts_rank(d.document, $1::tsquery, 32) + ${FRESH})::float8`;
const pieces: Record<string, [string, unknown[]]> = {
  scan: [`SELECT count(*) ${MATCHES}`, [q]],
  "scan+rank": [`SELECT max(ts_rank(d.document, $1::tsquery, 32)) ${MATCHES}`, [q]],
  "scan+fresh": [`SELECT max(${FRESH}) ${MATCHES}`, [q, at]],
  "scan+score": [`SELECT max(${SCORE}) ${MATCHES}`, [q, at]],
  top21: [`SELECT d."listingId", ${SCORE} AS score ${MATCHES} ORDER BY 2 DESC, 1 DESC LIMIT 21`, [q, at]],
};

interface Recorded {
  name: string;
  sql: string;
  values: unknown[];
}
if (argv.statements) {
  const results = JSON.parse(fs.readFileSync(argv.statements, "utf8")) as { explain: { backend: string; kinds: Record<string, Recorded[]> }[] };
  const kinds = results.explain.find((e) => e.backend === "postgres")!.kinds;
  for (const kind of argv.kinds.split(",")) {
    const page = kinds[kind]?.find((s) => s.name === "page" && s.sql.includes("WITH page AS"));
    if (!page) throw new Error(`${argv.statements}: no page statement for ${kind}`);
    const values = page.values.map((v) => (typeof v === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) ? new Date(v) : v));
    pieces[`${kind} page`] = [page.sql, values];
    // The same statement with each ts_headline replaced by a function of the same arguments that costs nothing.
    const plain = page.sql.replace(/ts_headline\('search_ro', translate\(t\.(title|description), (\$\d+), ''\), (\$\d+)::tsquery, (\$\d+)\)/g, "left(t.$1 || $2 || $3 || $4, 0)");
    if (plain === page.sql) throw new Error(`${kind}: no ts_headline found to take out`);
    pieces[`${kind} page, no headline`] = [plain, values];
  }
}

const url = new URL(argv["pg-url"]);
url.pathname = `/${argv.database}`;
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
try {
  const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  const cpuMs = () => {
    const t = procTimes(pid)!;
    return ((t[0]! + t[1]!) * 1000) / CLK_TCK;
  };
  const names = Object.keys(pieces);
  const cpu = new Map(names.map((n) => [n, 0]));
  const wall = new Map(names.map((n) => [n, 0]));
  for (const n of names) await client.query(...pieces[n]!); // warm
  for (let r = 0; r < runs; r++) {
    for (const n of names) {
      const c = cpuMs();
      const t = performance.now();
      await client.query(...pieces[n]!);
      wall.set(n, wall.get(n)! + performance.now() - t);
      cpu.set(n, cpu.get(n)! + cpuMs() - c);
    }
  }
  for (const n of names) console.log(`${n.padEnd(28)} CPU ${(cpu.get(n)! / runs).toFixed(2)} ms  wall ${(wall.get(n)! / runs).toFixed(2)} ms`);
} finally {
  await client.end();
}
