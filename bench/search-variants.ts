/**
 * What the fixes suggested in bench/results/search-2026-12-01.md would change, measured on the SQL the
 * service builds (recorded by `npm run bench:search -- --parts explain` into a results JSON), without
 * touching the product code: each statement as recorded, then rewritten as the fix would write it, run
 * on the same PostgreSQL database with the same bound values; rows must not change.
 *
 *   node --import tsx bench/search-variants.ts --results bench/results/search-2026-12-01-100k.json \
 *     --size 100000 [--kinds word,two-words,typo,phrase+cat] [--database piata_bench_100000]
 *
 * Variants:
 *   as-is        the recorded statement
 *   indexable    the text condition as a scalar subquery, `d.document @@ (SELECT loose FROM q)`, without
 *                the `numnode(q.loose) = 0 OR …` branch (and no exclusion clause: these kinds have none),
 *                so the planner can use the GIN index "SearchDocument_document_idx" instead of testing
 *                every document
 *   +float-price the facets' 1-2-5 price step in float8 instead of numeric log/power per matched row
 * Prints one line per statement and variant, and writes the lot as JSON with --out.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";

const { values: argv } = parseArgs({
  options: {
    results: { type: "string", default: "bench/results/search-2026-12-01-100k.json" },
    size: { type: "string", default: "100000" },
    kinds: { type: "string", default: "word,two-words,typo,phrase+cat" },
    database: { type: "string" },
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

const NUMERIC_STEP =
  /SELECT \(CASE WHEN m < 2 THEN 1 WHEN m < 5 THEN 2 ELSE 5 END \* power\(10::numeric, k\) \* 100\)::bigint\s+FROM \(SELECT k, \("priceRonBani" \/ 100\.0\) \/ power\(10::numeric, k\) AS m\s+FROM \(SELECT floor\(log\(10, "priceRonBani" \/ 100\.0\)\)::int AS k\) e\) x/;
const FLOAT_STEP = `SELECT (CASE WHEN m < 2 THEN 1 WHEN m < 5 THEN 2 ELSE 5 END * power(10::float8, k) * 100)::bigint
    FROM (SELECT k, ("priceRonBani" / 100.0::float8) / power(10::float8, k) AS m
    FROM (SELECT floor(log("priceRonBani" / 100.0::float8))::int AS k) e) x`;

const indexable = (sql: string) =>
  sql
    .replaceAll("(numnode(q.loose) = 0 OR d.document @@ q.loose)", "d.document @@ (SELECT loose FROM q)")
    .replaceAll("(numnode(q.excluded) = 0 OR NOT d.document @@ q.excluded)", "true");

const VARIANTS: Record<string, (sql: string) => string> = {
  "as-is": (sql) => sql,
  indexable,
  "indexable+float-price": (sql) => indexable(sql).replace(NUMERIC_STEP, FLOAT_STEP),
};

const size = Number(argv.size);
const results = JSON.parse(fs.readFileSync(argv.results, "utf8")) as { explain: { size: number; backend: string; kinds: Record<string, Recorded[]> }[] };
const recorded = results.explain.find((e) => e.size === size && e.backend === "postgres");
if (!recorded) throw new Error(`${argv.results} has no PostgreSQL EXPLAIN at ${size}`);
const url = new URL(argv["pg-url"]);
url.pathname = `/${argv.database ?? `piata_bench_${size}`}`;
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
const out: Record<string, unknown>[] = [];
try {
  for (const kind of argv.kinds.split(",")) {
    for (const statement of recorded.kinds[kind] ?? []) {
      const values = statement.values.map((v) => (typeof v === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) ? new Date(v) : v));
      let seen = "";
      let baseRows: number | null = null;
      for (const [variant, rewrite] of Object.entries(VARIANTS)) {
        const sql = rewrite(statement.sql);
        if (sql === seen) continue; // the rewrite changes nothing in this statement
        seen = sql;
        await client.query(sql, values);
        const started = performance.now();
        const rows = (await client.query(sql, values)).rowCount ?? 0;
        const runMs = performance.now() - started;
        const plan = (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values)).rows.map((r) => r["QUERY PLAN"]);
        const executionMs = Number(/([\d.]+) ms/.exec(plan.find((l) => l.startsWith("Execution Time")) ?? "")?.[1] ?? NaN);
        const scan = plan.find((l) => /Scan on "SearchDocument"/.test(l))?.trim().replace(/\(cost=[^)]*\) /, "") ?? "";
        baseRows ??= rows;
        if (rows !== baseRows) throw new Error(`${kind} ${statement.name} ${variant}: ${rows} rows, as-is ${baseRows}`);
        console.log(`${kind.padEnd(12)} ${statement.name.padEnd(7)} ${variant.padEnd(22)} ${executionMs.toFixed(1).padStart(8)} ms (client ${runMs.toFixed(1)} ms)  ${scan}`);
        out.push({ size, kind, statement: statement.name, variant, rows, executionMs, runMs: Math.round(runMs * 10) / 10, scan, plan });
      }
    }
  }
} finally {
  await client.end();
}
if (argv.out) fs.writeFileSync(argv.out, `${JSON.stringify(out, null, 1)}\n`);
