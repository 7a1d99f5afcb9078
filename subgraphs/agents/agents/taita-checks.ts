/**
 * taita's checks: the catalog queries it reads (read-only SQL on pg_catalog and the pg_stat_* views,
 * the same on PostgreSQL 15+ and on PGlite, which is PostgreSQL 17 in single-user mode) and the pure
 * analysis that turns what they read into findings. Every query returns one JSON column (json_agg),
 * so no catalog type (int2vector, oid, void, numeric, bigint) has to survive the Prisma driver
 * adapters, and every number arrives as a plain JSON number.
 */

export type Severity = "HIGH" | "MEDIUM" | "LOW" | "INFO";

export type FindingKind =
  | "DEAD_ROWS"
  | "VACUUM_AGE"
  | "AUTOVACUUM"
  | "STALE_STATISTICS"
  | "UNUSED_INDEX"
  | "DUPLICATE_INDEX"
  | "INVALID_INDEX"
  | "SEQ_SCANS"
  | "CACHE_HIT_RATIO"
  | "CONNECTIONS"
  | "LONG_TRANSACTION"
  | "SLOW_STATEMENT"
  | "SLOW_OPERATION";

export interface Finding {
  severity: Severity;
  kind: FindingKind;
  /** A schema-qualified table or index, "database", "connections", a statement or an operation. */
  target: string;
  detail: string;
  /** Suggestion text only: taita never runs it. */
  recommendation: string;
  /** The figures the finding rests on. */
  evidence?: Record<string, string | number | boolean | null | string[]>;
}

/** Runs one read-only query and returns its rows (see taita.ts: a READ ONLY transaction with a statement timeout). */
export type ReadQuery = <Row>(sql: string) => Promise<Row[]>;

export interface Thresholds {
  largeTableRows: number;
  unusedIndexMinBytes: number;
  deadRowRatio: number;
  minDeadRows: number;
  minSeqScans: number;
  slowStatementMs: number;
  slowOperationMs: number;
}

// ---------------------------------------------------------------------------------------------------
// What is read

export interface DatabaseInfo {
  name: string;
  version: string;
  versionNum: number;
  sizeBytes: number;
  statsReset: string | null;
  xidAge: number;
  trackCounts: string;
  autovacuum: string;
  freezeMaxAge: number;
  maxConnections: number;
  reservedConnections: number;
  sharedBuffers: string;
  blocksHit: number | null;
  blocksRead: number | null;
}

export interface TableRow {
  oid: number;
  schema: string;
  name: string;
  qualified: string;
  rowsEstimate: number;
  totalBytes: number;
  tableBytes: number;
  indexBytes: number;
  liveRows: number | null;
  deadRows: number | null;
  modifiedSinceAnalyze: number | null;
  seqScans: number | null;
  seqRowsRead: number | null;
  indexScans: number | null;
  lastVacuum: string | null;
  lastAutovacuum: string | null;
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
  secondsSinceVacuum: number | null;
  secondsSinceAnalyze: number | null;
  xidAge: number | null;
  /** false when the table's storage parameters turn autovacuum off for it. */
  autovacuumEnabled: boolean;
  heapBlocksHit: number | null;
  heapBlocksRead: number | null;
}

export interface IndexRow {
  oid: number;
  schema: string;
  table: string;
  qualifiedTable: string;
  name: string;
  qualified: string;
  method: string;
  bytes: number;
  scans: number | null;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  constraint: string | null;
  /** pg_index.indkey as text ("2 3"; 0 for an expression), all columns then INCLUDE ones. */
  keys: string;
  keyCount: number;
  columnCount: number;
  opclasses: string;
  collations: string;
  options: string;
  expressions: string | null;
  predicate: string | null;
  columns: string[];
  definition: string;
}

export interface ConnectionState {
  state: string;
  count: number;
  oldestTransactionSeconds: number | null;
  longestQuerySeconds: number | null;
}

export interface StatementRow {
  queryId: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
  rows: number;
  sharedBlocksHit: number;
  sharedBlocksRead: number;
  query: string;
}

export interface ColumnCandidate {
  tableOid: number;
  column: string;
  type: string;
  nDistinct: number | null;
}

/** What the API recorded per GraphQL operation (the hook: createTaitaAgent({ operations })). */
export interface ApiOperationStat {
  operation: string;
  count: number;
  p95Ms: number;
  meanMs?: number;
  /** SQL statements per execution, on average; null when they were not counted (distributed mode). */
  sqlStatements: number | null;
}

// ---------------------------------------------------------------------------------------------------
// The queries

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;

export async function readDatabase(query: ReadQuery): Promise<DatabaseInfo> {
  const [row] = await query<DatabaseInfo>(`
    SELECT d.datname AS name,
           version() AS version,
           current_setting('server_version_num')::int AS "versionNum",
           pg_database_size(d.oid)::float8 AS "sizeBytes",
           s.stats_reset AS "statsReset",
           age(d.datfrozenxid)::float8 AS "xidAge",
           current_setting('track_counts') AS "trackCounts",
           current_setting('autovacuum') AS autovacuum,
           current_setting('autovacuum_freeze_max_age')::float8 AS "freezeMaxAge",
           current_setting('max_connections')::int AS "maxConnections",
           current_setting('superuser_reserved_connections')::int AS "reservedConnections",
           current_setting('shared_buffers') AS "sharedBuffers",
           s.blks_hit::float8 AS "blocksHit",
           s.blks_read::float8 AS "blocksRead"
      FROM pg_database d
      LEFT JOIN pg_stat_database s ON s.datid = d.oid
     WHERE d.datname = current_database()`);
  if (!row) throw new Error("the current database is not in pg_database");
  return row;
}

export function readTables(query: ReadQuery): Promise<TableRow[]> {
  return query<TableRow>(`
    SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name,
           format('%I.%I', n.nspname, c.relname) AS qualified,
           greatest(c.reltuples, 0)::float8 AS "rowsEstimate",
           pg_total_relation_size(c.oid)::float8 AS "totalBytes",
           pg_relation_size(c.oid)::float8 AS "tableBytes",
           pg_indexes_size(c.oid)::float8 AS "indexBytes",
           s.n_live_tup::float8 AS "liveRows",
           s.n_dead_tup::float8 AS "deadRows",
           s.n_mod_since_analyze::float8 AS "modifiedSinceAnalyze",
           s.seq_scan::float8 AS "seqScans",
           s.seq_tup_read::float8 AS "seqRowsRead",
           s.idx_scan::float8 AS "indexScans",
           s.last_vacuum AS "lastVacuum",
           s.last_autovacuum AS "lastAutovacuum",
           s.last_analyze AS "lastAnalyze",
           s.last_autoanalyze AS "lastAutoanalyze",
           extract(epoch FROM now() - greatest(s.last_vacuum, s.last_autovacuum))::float8 AS "secondsSinceVacuum",
           extract(epoch FROM now() - greatest(s.last_analyze, s.last_autoanalyze))::float8 AS "secondsSinceAnalyze",
           CASE WHEN c.relkind IN ('r', 'm') THEN age(c.relfrozenxid)::float8 END AS "xidAge",
           NOT EXISTS (SELECT 1 FROM pg_options_to_table(c.reloptions) o
                        WHERE o.option_name = 'autovacuum_enabled' AND lower(o.option_value) IN ('false', 'off', 'no', '0')) AS "autovacuumEnabled",
           io.heap_blks_hit::float8 AS "heapBlocksHit",
           io.heap_blks_read::float8 AS "heapBlocksRead"
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      LEFT JOIN pg_statio_user_tables io ON io.relid = c.oid
     WHERE c.relkind IN ('r', 'm', 'p') AND ${USER_SCHEMAS}
     ORDER BY pg_total_relation_size(c.oid) DESC, 3`);
}

export function readIndexes(query: ReadQuery): Promise<IndexRow[]> {
  return query<IndexRow>(`
    SELECT i.oid::int8 AS oid, n.nspname AS schema, t.relname AS "table",
           format('%I.%I', n.nspname, t.relname) AS "qualifiedTable",
           i.relname AS name, format('%I.%I', n.nspname, i.relname) AS qualified,
           am.amname AS method,
           pg_relation_size(i.oid)::float8 AS bytes,
           s.idx_scan::float8 AS scans,
           x.indisunique AS "unique", x.indisprimary AS "primary", x.indisvalid AS valid,
           con.conname AS "constraint",
           x.indkey::text AS keys, x.indnkeyatts::int AS "keyCount", x.indnatts::int AS "columnCount",
           x.indclass::text AS opclasses, x.indcollation::text AS collations, x.indoption::text AS options,
           pg_get_expr(x.indexprs, x.indrelid) AS expressions,
           pg_get_expr(x.indpred, x.indrelid) AS predicate,
           ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnatts) k) AS columns,
           pg_get_indexdef(x.indexrelid) AS definition
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      JOIN pg_am am ON am.oid = i.relam
      LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = x.indexrelid
      LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x')
     WHERE t.relkind IN ('r', 'm', 'p') AND ${USER_SCHEMAS}
     ORDER BY pg_relation_size(i.oid) DESC, 4, 5`);
}

/** Columns of these tables that lead no index: where a CREATE INDEX suggestion for their seq scans could start. */
export function readUnindexedColumns(query: ReadQuery, tableOids: number[]): Promise<ColumnCandidate[]> {
  const oids = tableOids.filter((oid) => Number.isSafeInteger(oid) && oid > 0);
  if (oids.length === 0) return Promise.resolve([]);
  return query<ColumnCandidate>(`
    SELECT a.attrelid::int8 AS "tableOid", a.attname AS column,
           format_type(a.atttypid, a.atttypmod) AS type,
           st.n_distinct::float8 AS "nDistinct"
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_stats st ON st.schemaname = n.nspname AND st.tablename = c.relname AND st.attname = a.attname
     WHERE a.attrelid IN (${oids.join(", ")}) AND a.attnum > 0 AND NOT a.attisdropped
       AND NOT EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = a.attrelid AND x.indkey[0] = a.attnum)
       AND a.atttypid NOT IN ('json'::regtype, 'jsonb'::regtype, 'bytea'::regtype, 'xml'::regtype)
     ORDER BY a.attrelid, a.attnum`);
}

export function readConnections(query: ReadQuery): Promise<ConnectionState[]> {
  return query<ConnectionState>(`
    SELECT coalesce(state, 'unknown') AS state, count(*)::int AS count,
           max(greatest(0, extract(epoch FROM now() - xact_start))) FILTER (WHERE pid <> pg_backend_pid())::float8 AS "oldestTransactionSeconds",
           max(greatest(0, extract(epoch FROM now() - query_start))) FILTER (WHERE state = 'active' AND pid <> pg_backend_pid())::float8 AS "longestQuerySeconds"
      FROM pg_stat_activity
     WHERE backend_type = 'client backend'
     GROUP BY 1
     ORDER BY 1`);
}

/** The schema pg_stat_statements is installed in, in this database, or null. Never creates it. */
export async function findStatementsExtension(query: ReadQuery): Promise<string | null> {
  const [row] = await query<{ schema: string }>(`
    SELECT quote_ident(n.nspname) AS schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_stat_statements'`);
  return row?.schema ?? null;
}

/**
 * pg_stat_statements' rows for this database: the slowest on average (the report), or the busiest in
 * total (to find what the seq-scanned tables are filtered on).
 */
export async function readStatements(
  query: ReadQuery,
  schema: string,
  options: { orderBy: "mean" | "total"; limit: number; textLength: number },
): Promise<StatementRow[]> {
  const sql = (total: string, mean: string, max: string) => `
    SELECT queryid::text AS "queryId", calls::float8 AS calls,
           ${total}::float8 AS "totalMs", ${mean}::float8 AS "meanMs", ${max}::float8 AS "maxMs",
           rows::float8 AS rows, shared_blks_hit::float8 AS "sharedBlocksHit", shared_blks_read::float8 AS "sharedBlocksRead",
           left(regexp_replace(query, '\\s+', ' ', 'g'), ${Math.trunc(options.textLength)}) AS query
      FROM ${schema}.pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY ${options.orderBy === "mean" ? mean : total} DESC
     LIMIT ${Math.trunc(options.limit)}`;
  try {
    return await query<StatementRow>(sql("total_exec_time", "mean_exec_time", "max_exec_time"));
  } catch (error) {
    // pg_stat_statements before 1.8 (PostgreSQL 12 and older) names them total_time, mean_time, max_time.
    if (!/total_exec_time|mean_exec_time|max_exec_time/.test(errorMessage(error))) throw error;
    return query<StatementRow>(sql("total_time", "mean_time", "max_time"));
  }
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Prisma wraps the server's message in an invocation banner: keep the server's words.
  const server = /Message: `([^`]*)`/.exec(message);
  return (server?.[1] ?? message).trim();
}

// ---------------------------------------------------------------------------------------------------
// The analysis

const MiB = 1024 * 1024;
const DAY = 86_400;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${(bytes / (1024 * MiB)).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} kiB`;
  return `${bytes} B`;
}

function formatAge(seconds: number | null): string {
  if (seconds === null) return "never";
  if (seconds >= 2 * DAY) return `${Math.round(seconds / DAY)} days ago`;
  if (seconds >= 7200) return `${Math.round(seconds / 3600)} hours ago`;
  return `${Math.round(seconds / 60)} minutes ago`;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

export interface TableAnalysis {
  findings: Finding[];
  /** Tables whose seq scans were flagged, for the column candidates. */
  seqScanTables: TableRow[];
}

/** Dead rows, vacuum (xid) age, stale planner statistics and seq scans on large tables. */
export function analyzeTables(
  tables: TableRow[],
  db: Pick<DatabaseInfo, "freezeMaxAge" | "autovacuum">,
  kind: "pglite" | "postgres",
  t: Thresholds,
): TableAnalysis {
  const findings: Finding[] = [];
  const seqScanTables: TableRow[] = [];
  for (const table of tables) {
    const noAutovacuum =
      kind === "pglite"
        ? "embedded PGlite runs no autovacuum, so they stay until a manual VACUUM"
        : db.autovacuum !== "on"
          ? "autovacuum is off on this server"
          : !table.autovacuumEnabled
            ? "autovacuum is turned off for this table (autovacuum_enabled = false)"
            : null;
    const live = table.liveRows ?? 0;
    const dead = table.deadRows ?? 0;
    const rows = Math.max(live, table.rowsEstimate);

    if (dead >= t.minDeadRows && dead / (live + dead) >= t.deadRowRatio) {
      const ratio = dead / (live + dead);
      const lastVacuum = formatAge(table.secondsSinceVacuum);
      findings.push({
        severity: ratio >= 0.5 && dead >= t.largeTableRows ? "HIGH" : "MEDIUM",
        kind: "DEAD_ROWS",
        target: table.qualified,
        detail:
          `${dead} dead rows against ${live} live (${percent(ratio)} dead); last vacuum ${lastVacuum}` + (noAutovacuum ? `; ${noAutovacuum}` : ""),
        recommendation:
          `VACUUM (ANALYZE) ${table.qualified};` +
          (kind === "pglite" || db.autovacuum !== "on"
            ? ""
            : !table.autovacuumEnabled
              ? ` then let autovacuum look after it: ALTER TABLE ${table.qualified} RESET (autovacuum_enabled);`
              : ` if this recurs, have autovacuum visit it sooner: ALTER TABLE ${table.qualified} SET (autovacuum_vacuum_scale_factor = 0.05);`),
        evidence: { deadRows: dead, liveRows: live, deadRatio: round(ratio, 4), secondsSinceVacuum: table.secondsSinceVacuum },
      });
    }

    if (table.xidAge !== null && table.xidAge >= db.freezeMaxAge) {
      const high = table.xidAge >= Math.min(1.5 * db.freezeMaxAge, 1_200_000_000);
      findings.push({
        severity: high ? "HIGH" : "MEDIUM",
        kind: "VACUUM_AGE",
        target: table.qualified,
        detail: `oldest unfrozen transaction id is ${table.xidAge} transactions old (autovacuum_freeze_max_age ${db.freezeMaxAge}); wraparound stops writes at about 2,000,000,000`,
        recommendation: `VACUUM (FREEZE, VERBOSE) ${table.qualified}; and look for what keeps autovacuum from finishing it (long transactions, cancelled runs)`,
        evidence: { xidAge: table.xidAge, freezeMaxAge: db.freezeMaxAge },
      });
    }

    const modified = table.modifiedSinceAnalyze ?? 0;
    if (
      rows >= t.largeTableRows &&
      modified >= Math.max(t.minDeadRows, 0.2 * rows) &&
      (table.secondsSinceAnalyze === null || table.secondsSinceAnalyze >= DAY)
    ) {
      findings.push({
        severity: table.secondsSinceAnalyze === null ? "MEDIUM" : "LOW",
        kind: "STALE_STATISTICS",
        target: table.qualified,
        detail: `${modified} row changes (inserts, updates, deletes) since the planner's statistics were gathered (last analyze ${formatAge(table.secondsSinceAnalyze)}); the table has about ${rows} rows`,
        recommendation: `ANALYZE ${table.qualified};`,
        evidence: { modifiedSinceAnalyze: modified, rows, secondsSinceAnalyze: table.secondsSinceAnalyze },
      });
    }

    const seqScans = table.seqScans ?? 0;
    const indexScans = table.indexScans ?? 0;
    if (live >= t.largeTableRows && seqScans >= t.minSeqScans && seqScans > indexScans) {
      const perScan = table.seqRowsRead !== null && seqScans > 0 ? Math.round(table.seqRowsRead / seqScans) : null;
      seqScanTables.push(table);
      findings.push({
        severity: seqScans >= 10 * Math.max(indexScans, 1) && seqScans >= 10 * t.minSeqScans ? "HIGH" : "MEDIUM",
        kind: "SEQ_SCANS",
        target: table.qualified,
        detail: `${seqScans} sequential scans against ${indexScans} index scans on a table of ${live} rows` + (perScan === null ? "" : `, ${perScan} rows read per scan`),
        recommendation: `find what the statements that scan it filter on (pg_stat_statements, or EXPLAIN) and index it: CREATE INDEX CONCURRENTLY ON ${table.qualified} (<filter column>)`,
        evidence: { seqScans, indexScans, liveRows: live, rowsPerScan: perScan },
      });
    }
  }
  return { findings, seqScanTables };
}

/**
 * Completes the seq-scan findings' recommendations with the table's columns that lead no index and,
 * when pg_stat_statements shows statements on the table filtering on one of them, that column.
 */
export function suggestIndexColumns(findings: Finding[], tables: TableRow[], candidates: ColumnCandidate[], statements: StatementRow[]): void {
  for (const table of tables) {
    const finding = findings.find((f) => f.kind === "SEQ_SCANS" && f.target === table.qualified);
    if (!finding) continue;
    const columns = candidates
      .filter((c) => c.tableOid === table.oid)
      // n_distinct: > 0 a count of values, < 0 a fraction of the rows; a couple of values makes a poor index.
      .filter((c) => c.nDistinct === null || c.nDistinct < 0 || c.nDistinct > 2)
      .map((c) => c.column);
    if (columns.length === 0) continue;
    const filtered = filterColumn(table.name, columns, statements);
    const shown = columns.slice(0, 8).join(", ") + (columns.length > 8 ? ", ..." : "");
    finding.recommendation = filtered
      ? `CREATE INDEX CONCURRENTLY ON ${table.qualified} (${quoteIdent(filtered.column)}); -- statement ${filtered.statement.queryId} ` +
        `(${filtered.statement.calls} calls, ${Math.round(filtered.statement.totalMs)} ms in all) filters on ${filtered.column}, which leads no index`
      : `find what the statements that scan it filter on (EXPLAIN them; pg_stat_statements lists them) and index it: ` +
        `CREATE INDEX CONCURRENTLY ON ${table.qualified} (<filter column>); columns that lead no index: ${shown}`;
    finding.evidence = { ...finding.evidence, unindexedColumns: columns, ...(filtered ? { filterColumn: filtered.column, queryId: filtered.statement.queryId } : {}) };
  }
}

/** The unindexed column that the busiest statements naming this table compare in their WHERE clause. */
export function filterColumn(tableName: string, columns: string[], statements: StatementRow[]): { column: string; statement: StatementRow } | null {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const tablePattern = new RegExp(`(^|[^\\w])"?${escape(tableName)}"?([^\\w]|$)`);
  let best: { column: string; statement: StatementRow } | null = null;
  for (const statement of statements) {
    const where = statement.query.search(/\bwhere\b/i);
    if (where < 0 || !tablePattern.test(statement.query)) continue;
    const condition = statement.query.slice(where);
    for (const column of columns) {
      const compared = new RegExp(`(^|[^\\w"])"?${escape(column)}"?\\s*(=|<>|!=|<=|>=|<|>|\\bin\\b|\\blike\\b|\\bilike\\b|\\bbetween\\b|\\bis\\b)`, "i");
      if (compared.test(condition) && (!best || statement.totalMs > best.statement.totalMs)) best = { column, statement };
    }
  }
  return best;
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Server-wide settings worth a finding. */
export function analyzeSettings(db: DatabaseInfo, kind: "pglite" | "postgres"): Finding[] {
  const findings: Finding[] = [];
  if (kind === "postgres" && db.autovacuum !== "on") {
    findings.push({
      severity: "MEDIUM",
      kind: "AUTOVACUUM",
      target: "database",
      detail: "autovacuum is off: dead rows pile up, planner statistics go stale and transaction ids age toward wraparound until someone vacuums by hand",
      recommendation: "ALTER SYSTEM SET autovacuum = on; SELECT pg_reload_conf(); -- or schedule VACUUM (ANALYZE) of the busy tables",
      evidence: { autovacuum: db.autovacuum },
    });
  }
  if (db.xidAge >= db.freezeMaxAge) {
    findings.push({
      severity: db.xidAge >= Math.min(1.5 * db.freezeMaxAge, 1_200_000_000) ? "HIGH" : "MEDIUM",
      kind: "VACUUM_AGE",
      target: "database",
      detail: `the database's oldest unfrozen transaction id is ${db.xidAge} transactions old (autovacuum_freeze_max_age ${db.freezeMaxAge})`,
      recommendation: "VACUUM (FREEZE) the tables with the oldest xid age (the table findings name them); look for long transactions and abandoned replication slots",
      evidence: { xidAge: db.xidAge, freezeMaxAge: db.freezeMaxAge },
    });
  }
  return findings;
}

export interface IndexAnalysis {
  findings: Finding[];
  unused: IndexRow[];
  duplicates: { index: string; duplicateOf: string; relation: "identical" | "left-prefix"; bytes: number }[];
}

/** How much an index is worth keeping among identical ones: constraints first, then unique, then use, then age. */
function keepScore(index: IndexRow): number[] {
  return [index.constraint ? 1 : 0, index.unique || index.primary ? 1 : 0, index.scans ?? 0, -index.oid];
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function signature(index: IndexRow): string {
  return JSON.stringify([index.qualifiedTable, index.method, index.keys, index.keyCount, index.opclasses, index.collations, index.options, index.expressions, index.predicate]);
}

function dropText(index: IndexRow): string {
  return index.constraint
    ? `ALTER TABLE ${index.qualifiedTable} DROP CONSTRAINT ${quoteIdent(index.constraint)};`
    : `DROP INDEX CONCURRENTLY ${index.qualified};`;
}

/** Duplicate (identical or left-prefix), unused and invalid indexes. */
export function analyzeIndexes(indexes: IndexRow[], t: Thresholds, statsSince: string, countsTracked: boolean): IndexAnalysis {
  const findings: Finding[] = [];
  const duplicates: IndexAnalysis["duplicates"] = [];
  const redundant = new Set<number>();

  const groups = new Map<string, IndexRow[]>();
  for (const index of indexes) {
    if (!index.valid) continue;
    const key = signature(index);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const [keep, ...drop] = [...group].sort((a, b) => compareScores(keepScore(b), keepScore(a)));
    for (const index of drop) {
      redundant.add(index.oid);
      duplicates.push({ index: index.qualified, duplicateOf: keep!.qualified, relation: "identical", bytes: index.bytes });
      findings.push({
        severity: "MEDIUM",
        kind: "DUPLICATE_INDEX",
        target: index.qualified,
        detail: `${index.qualified} is identical to ${keep!.qualified} on ${index.qualifiedTable} (${index.columns.join(", ")}): ${formatBytes(index.bytes)} and a second write on every change for nothing`,
        recommendation: `${dropText(index)} -- duplicate of ${keep!.qualified}`,
        evidence: { index: index.qualified, duplicateOf: keep!.qualified, relation: "identical", bytes: index.bytes, scans: index.scans },
      });
    }
  }

  // A btree whose key columns start another btree's (same operator classes, collations and order) is
  // served by the longer one; not so when it enforces uniqueness or a constraint, or carries INCLUDE columns.
  for (const short of indexes) {
    if (redundant.has(short.oid) || !short.valid || short.method !== "btree") continue;
    if (short.unique || short.primary || short.constraint || short.expressions || short.columnCount !== short.keyCount) continue;
    const k = short.keyCount;
    const prefix = (s: string) => s.split(" ").slice(0, k).join(" ");
    const longer = indexes
      .filter(
        (long) =>
          long.oid !== short.oid &&
          long.valid &&
          !redundant.has(long.oid) &&
          long.qualifiedTable === short.qualifiedTable &&
          long.method === "btree" &&
          long.keyCount > k &&
          !long.expressions &&
          long.predicate === short.predicate &&
          prefix(long.keys) === short.keys &&
          prefix(long.opclasses) === short.opclasses &&
          prefix(long.collations) === short.collations &&
          prefix(long.options) === short.options,
      )
      .sort((a, b) => a.keyCount - b.keyCount || a.bytes - b.bytes)[0];
    if (!longer) continue;
    duplicates.push({ index: short.qualified, duplicateOf: longer.qualified, relation: "left-prefix", bytes: short.bytes });
    findings.push({
      severity: "LOW",
      kind: "DUPLICATE_INDEX",
      target: short.qualified,
      detail: `${short.qualified} (${short.columns.join(", ")}) is a left prefix of ${longer.qualified} (${longer.columns.join(", ")}), which can serve the same lookups`,
      recommendation: `consider ${dropText(short)} -- covered by ${longer.qualified}; keep it only if it is much smaller and hot`,
      evidence: { index: short.qualified, duplicateOf: longer.qualified, relation: "left-prefix", bytes: short.bytes, scans: short.scans },
    });
  }

  for (const index of indexes) {
    if (index.valid) continue;
    findings.push({
      severity: "MEDIUM",
      kind: "INVALID_INDEX",
      target: index.qualified,
      detail: `${index.qualified} is invalid (a failed CREATE INDEX CONCURRENTLY or REINDEX): it is maintained on writes but never used`,
      recommendation: `DROP INDEX CONCURRENTLY ${index.qualified}; then create it again: ${index.definition.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX CONCURRENTLY ")}`,
      evidence: { bytes: index.bytes },
    });
  }

  const unused = countsTracked
    ? indexes.filter(
        (i) =>
          i.valid &&
          (i.scans ?? 0) === 0 &&
          !i.unique &&
          !i.primary &&
          !i.constraint &&
          !redundant.has(i.oid) &&
          i.bytes >= t.unusedIndexMinBytes,
      )
    : [];
  for (const index of unused) {
    findings.push({
      severity: index.bytes >= 64 * MiB ? "MEDIUM" : "LOW",
      kind: "UNUSED_INDEX",
      target: index.qualified,
      detail: `${index.qualified} on ${index.qualifiedTable} (${index.columns.join(", ")}) has not been scanned ${statsSince}; it takes ${formatBytes(index.bytes)} and slows every write`,
      recommendation: `DROP INDEX CONCURRENTLY ${index.qualified}; -- after checking replicas and rare jobs (monthly reports) do not use it`,
      evidence: { bytes: index.bytes, scans: index.scans ?? 0 },
    });
  }
  return { findings, unused, duplicates };
}

export interface CacheReport {
  databaseHitRatio: number | null;
  blocksHit: number | null;
  blocksRead: number | null;
  /** The tables with the lowest heap hit ratio among those with enough traffic. */
  tables: { table: string; hitRatio: number; blocksHit: number; blocksRead: number }[];
}

const MIN_CACHE_BLOCKS = 10_000;

export function analyzeCache(db: DatabaseInfo, tables: TableRow[], sharedBuffers: string, topN: number): { cache: CacheReport; findings: Finding[] } {
  const findings: Finding[] = [];
  const hit = db.blocksHit;
  const read = db.blocksRead;
  const total = (hit ?? 0) + (read ?? 0);
  const ratio = hit !== null && read !== null && total > 0 ? hit / total : null;
  if (ratio !== null && total >= MIN_CACHE_BLOCKS && ratio < 0.99) {
    findings.push({
      severity: ratio < 0.9 ? "HIGH" : ratio < 0.95 ? "MEDIUM" : "LOW",
      kind: "CACHE_HIT_RATIO",
      target: "database",
      detail: `${percent(ratio)} of block reads were served from shared buffers (${hit} hits, ${read} reads from disk); 99% is the usual target`,
      recommendation: `raise shared_buffers (now ${sharedBuffers}) toward a quarter of memory, or give the server more memory; first remove the seq scans above, which read whole tables`,
      evidence: { hitRatio: round(ratio, 4), blocksHit: hit, blocksRead: read, sharedBuffers },
    });
  }
  const perTable = tables
    .filter((t) => t.heapBlocksHit !== null && t.heapBlocksRead !== null && t.heapBlocksHit + t.heapBlocksRead >= MIN_CACHE_BLOCKS)
    .map((t) => ({
      table: t.qualified,
      hitRatio: round(t.heapBlocksHit! / (t.heapBlocksHit! + t.heapBlocksRead!), 4),
      blocksHit: t.heapBlocksHit!,
      blocksRead: t.heapBlocksRead!,
    }))
    .sort((a, b) => a.hitRatio - b.hitRatio);
  for (const t of perTable) {
    if (t.hitRatio >= 0.9) break;
    findings.push({
      severity: "MEDIUM",
      kind: "CACHE_HIT_RATIO",
      target: t.table,
      detail: `${percent(t.hitRatio)} of its heap block reads hit the cache (${t.blocksRead} read from disk)`,
      recommendation: `look for seq scans or large range reads on ${t.table} (pg_stat_statements, EXPLAIN (ANALYZE, BUFFERS)); otherwise raise shared_buffers (now ${sharedBuffers})`,
      evidence: t,
    });
  }
  return { cache: { databaseHitRatio: ratio === null ? null : round(ratio, 4), blocksHit: hit, blocksRead: read, tables: perTable.slice(0, topN) }, findings };
}

export interface ConnectionsReport {
  max: number;
  reservedForSuperusers: number;
  total: number;
  byState: Record<string, number>;
  oldestTransactionSeconds: number | null;
  longestQuerySeconds: number | null;
  idleInTransaction: number;
}

export function analyzeConnections(states: ConnectionState[], db: DatabaseInfo): { connections: ConnectionsReport; findings: Finding[] } {
  const findings: Finding[] = [];
  const byState = Object.fromEntries(states.map((s) => [s.state, s.count]));
  const total = states.reduce((sum, s) => sum + s.count, 0);
  const available = Math.max(db.maxConnections - db.reservedConnections, 1);
  const usage = total / available;
  const maxOf = (values: (number | null)[]) => values.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.max(m, v)), null);
  const idleStates = states.filter((s) => s.state.startsWith("idle in transaction"));
  const idleInTransaction = idleStates.reduce((sum, s) => sum + s.count, 0);
  const oldestIdleTransaction = maxOf(idleStates.map((s) => s.oldestTransactionSeconds));
  const oldestTransactionSeconds = maxOf(states.map((s) => s.oldestTransactionSeconds));
  const longestQuerySeconds = maxOf(states.map((s) => s.longestQuerySeconds));

  if (usage >= 0.75) {
    findings.push({
      severity: usage >= 0.9 ? "HIGH" : "MEDIUM",
      kind: "CONNECTIONS",
      target: "connections",
      detail: `${total} client connections of ${available} available (max_connections ${db.maxConnections}, ${db.reservedConnections} reserved): ${percent(usage)}; ${JSON.stringify(byState)}`,
      recommendation: "put a pooler (PgBouncer) in front or lower the pool size per process (pg.Pool max) before raising max_connections",
      evidence: { total, available, usage: round(usage, 4) },
    });
  }
  if (idleInTransaction > 0 && oldestIdleTransaction !== null && oldestIdleTransaction >= 60) {
    findings.push({
      severity: oldestIdleTransaction >= 600 ? "HIGH" : "MEDIUM",
      kind: "LONG_TRANSACTION",
      target: "connections",
      detail: `${idleInTransaction} connections idle in a transaction, the oldest for ${Math.round(oldestIdleTransaction)} s: they hold locks and keep vacuum from removing dead rows`,
      recommendation: "find them in pg_stat_activity (state 'idle in transaction') and their code path; set idle_in_transaction_session_timeout (e.g. '5min')",
      evidence: { idleInTransaction, oldestSeconds: Math.round(oldestIdleTransaction) },
    });
  }
  if (longestQuerySeconds !== null && longestQuerySeconds >= 300) {
    findings.push({
      severity: "MEDIUM",
      kind: "LONG_TRANSACTION",
      target: "connections",
      detail: `a statement has been running for ${Math.round(longestQuerySeconds)} s`,
      recommendation: "look at it in pg_stat_activity; pg_cancel_backend(pid) if it is runaway; set statement_timeout for the application role",
      evidence: { longestQuerySeconds: Math.round(longestQuerySeconds) },
    });
  }
  return {
    connections: {
      max: db.maxConnections,
      reservedForSuperusers: db.reservedConnections,
      total,
      byState,
      oldestTransactionSeconds: oldestTransactionSeconds === null ? null : Math.round(oldestTransactionSeconds),
      longestQuerySeconds: longestQuerySeconds === null ? null : Math.round(longestQuerySeconds),
      idleInTransaction,
    },
    findings,
  };
}

export function analyzeStatements(statements: StatementRow[], t: Thresholds): Finding[] {
  return statements
    .filter((s) => s.meanMs >= t.slowStatementMs)
    .map((s) => ({
      severity: s.meanMs >= 10 * t.slowStatementMs ? ("HIGH" as const) : ("MEDIUM" as const),
      kind: "SLOW_STATEMENT" as const,
      target: `queryid ${s.queryId}`,
      detail: `mean ${round(s.meanMs, 1)} ms over ${s.calls} calls (max ${round(s.maxMs, 1)} ms, ${Math.round(s.totalMs)} ms in all): ${s.query.slice(0, 200)}`,
      recommendation: "EXPLAIN (ANALYZE, BUFFERS) it with typical parameters; index its filter and sort columns or narrow what it reads",
      evidence: { queryId: s.queryId, calls: s.calls, meanMs: round(s.meanMs, 3), totalMs: round(s.totalMs, 1) },
    }));
}

export function analyzeOperations(operations: ApiOperationStat[], t: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const op of operations) {
    const slow = op.p95Ms >= t.slowOperationMs;
    const chatty = (op.sqlStatements ?? 0) >= 50;
    if (!slow && !chatty) continue;
    findings.push({
      severity: op.p95Ms >= 5 * t.slowOperationMs ? "HIGH" : "MEDIUM",
      kind: "SLOW_OPERATION",
      target: op.operation,
      detail: `p95 ${round(op.p95Ms, 1)} ms over ${op.count} executions, ${op.sqlStatements === null ? "SQL statements not counted" : `${round(op.sqlStatements, 1)} SQL statements each`}`,
      recommendation: chatty
        ? "batch its lookups (DataLoader) instead of one statement per item, then look at its slowest statement"
        : "trace it (per-resolver timings) and EXPLAIN its slowest statement",
      evidence: { count: op.count, p95Ms: op.p95Ms, sqlStatements: op.sqlStatements },
    });
  }
  return findings;
}

const SEVERITY_ORDER: Record<Severity, number> = { HIGH: 0, MEDIUM: 1, LOW: 2, INFO: 3 };

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.kind.localeCompare(b.kind) || a.target.localeCompare(b.target),
  );
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
