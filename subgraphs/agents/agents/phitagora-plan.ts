/**
 * phitagora's reading of plans: EXPLAIN (VERBOSE, FORMAT JSON) trees walked for what an index could
 * serve — a sequential scan filtering a large table, a sort of rows read by a sequential scan — and
 * turned into candidate btree indexes: the filter's equality columns first, then one range column, or
 * the equality columns and the sort keys. Pure functions: no database here.
 *
 * VERBOSE plans name every column by its scan's alias (`t.w`, `"Listing"."sellerId"`), so a filter's
 * columns are found by the alias of the scan that applies it, also in joins.
 */

/** One node of EXPLAIN's JSON (the fields phitagora reads). */
export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Schema?: string;
  Alias?: string;
  Filter?: string;
  "Sort Key"?: string[];
  "Index Name"?: string;
  "Total Cost": number;
  "Plan Rows": number;
  Plans?: PlanNode[];
}

export interface ExplainOutput {
  Plan: PlanNode;
}

/** A table as the catalog describes it: its rows (estimate) and its columns' types. */
export interface TableInfo {
  schema: string;
  name: string;
  rows: number;
  bytes: number;
  columns: Record<string, string>;
}

export interface IndexColumn {
  column: string;
  descending?: boolean;
}

export interface Candidate {
  schema: string;
  table: string;
  columns: IndexColumn[];
  /** What in the plan asked for it. */
  reason: "filter" | "sort";
  /** The plan node's text: the filter, or the sort keys. */
  evidence: string;
}

/** A scan of a table, found in a plan. */
export interface SeqScan {
  schema: string;
  table: string;
  alias: string;
  filter?: string;
  rows: number;
}

/** Column types a btree index does not serve for the usual operators (containment, full text, geometry). */
const NOT_BTREE = /\[\]$|^(json|jsonb|tsvector|tsquery|xml|point|polygon|box|circle|line|lseg|path)$/;

export function walk(node: PlanNode, visit: (node: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

export function planUsesIndex(plan: PlanNode, indexName: string): boolean {
  let used = false;
  walk(plan, (node) => {
    if (node["Index Name"] === indexName) used = true;
  });
  return used;
}

export function seqScans(plan: PlanNode): SeqScan[] {
  const scans: SeqScan[] = [];
  walk(plan, (node) => {
    if (node["Node Type"] !== "Seq Scan" || !node["Relation Name"]) return;
    scans.push({
      schema: node.Schema ?? "public",
      table: node["Relation Name"],
      alias: node.Alias ?? node["Relation Name"],
      filter: node.Filter,
      rows: node["Plan Rows"],
    });
  });
  return scans;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** An identifier as EXPLAIN prints it: bare when lower-case and simple, quoted otherwise. */
function printed(identifier: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(identifier) ? identifier : `"${identifier.replace(/"/g, '""')}"`;
}

/** `alias.column` references in a VERBOSE plan's expression, with the operator that follows each. */
function references(expression: string, alias: string): { column: string; operator: string; preceding: string }[] {
  const name = `(?:"((?:[^"]|"")+)"|([a-z_][a-z0-9_$]*))`;
  const pattern = new RegExp(`(?<![\\w"$.])${escapeRegExp(printed(alias))}\\.${name}(\\)*)\\s*(=|<>|!=|<=|>=|<|>|~~\\*?|!~~|IS\\b|@@|@>|<@|&&)?`, "g");
  const found: { column: string; operator: string; preceding: string }[] = [];
  for (const match of expression.matchAll(pattern)) {
    const column = match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!;
    const before = expression.slice(Math.max(0, match.index - 12), match.index);
    found.push({ column, operator: match[4] ?? "", preceding: before });
  }
  return found;
}

/** How a filter uses a column: equality (=, IS NULL, = ANY), a range, or neither. */
function usage(operator: string, preceding: string): "eq" | "range" | null {
  if (operator === "=" || operator === "IS") return "eq";
  if (["<", ">", "<=", ">="].includes(operator)) return "range";
  // `$1 = t.col`, `$1 < t.col`: the column on the right.
  const left = /(=|<=|>=|<|>)\s*\(*$/.exec(preceding)?.[1];
  if (left === "=") return "eq";
  if (left) return "range";
  return null;
}

/** How a filter uses the scan's columns: equality columns in order of appearance, and its first range column. */
export function filterUse(filter: string, alias: string, table: TableInfo): { eq: string[]; range?: string } {
  const eq: string[] = [];
  let range: string | undefined;
  for (const ref of references(filter, alias)) {
    const type = table.columns[ref.column];
    if (!type || NOT_BTREE.test(type)) continue;
    const kind = usage(ref.operator, ref.preceding);
    if (kind === "eq" && !eq.includes(ref.column)) eq.push(ref.column);
    if (kind === "range" && range === undefined) range = ref.column;
  }
  return { eq, range: range && !eq.includes(range) ? range : undefined };
}

/** A filter's index: its equality columns, then its range column (a btree's order for both). */
export function filterColumns(filter: string, alias: string, table: TableInfo): IndexColumn[] {
  const { eq, range } = filterUse(filter, alias, table);
  return [...eq, ...(range ? [range] : [])].map((column) => ({ column }));
}

/** A sort key "t.col DESC" of the scan's alias, or null when it sorts on something else (an expression, another table). */
function sortColumn(key: string, alias: string, table: TableInfo): IndexColumn | null {
  const descending = /\s+DESC(\s+NULLS\s+(FIRST|LAST))?$/i.test(key);
  const bare = key.replace(/\s+(ASC|DESC)?(\s*NULLS\s+(FIRST|LAST))?$/i, "").trim();
  const refs = references(bare, alias);
  if (refs.length !== 1) return null;
  const column = refs[0]!.column;
  if (bare !== `${printed(alias)}.${printed(column)}`) return null;
  const type = table.columns[column];
  if (!type || NOT_BTREE.test(type)) return null;
  return descending ? { column, descending } : { column };
}

/**
 * Candidates from one plan: a filter of a large table's seq scan, and a sort of a seq scan's rows
 * (equality columns of its filter first, so the index yields the rows already in order).
 */
export function candidatesOf(plan: PlanNode, tables: Map<string, TableInfo>, minTableRows: number): Candidate[] {
  const candidates: Candidate[] = [];
  const info = (scan: SeqScan) => tables.get(`${scan.schema}.${scan.table}`);
  for (const scan of seqScans(plan)) {
    const table = info(scan);
    if (!table || table.rows < minTableRows || !scan.filter) continue;
    const columns = filterColumns(scan.filter, scan.alias, table);
    if (columns.length > 0) candidates.push({ schema: scan.schema, table: scan.table, columns, reason: "filter", evidence: scan.filter });
  }
  walk(plan, (node) => {
    if (node["Node Type"] !== "Sort" || !node["Sort Key"]?.length) return;
    const below = node.Plans?.[0];
    if (!below) return;
    // The sorted rows come from one seq scan (possibly through a filter-free node such as a Result).
    const scans = seqScans(below);
    if (scans.length !== 1) return;
    const scan = scans[0]!;
    const table = info(scan);
    if (!table || table.rows < minTableRows) return;
    const keys = node["Sort Key"].map((key) => sortColumn(key, scan.alias, table));
    if (keys.some((k) => k === null)) return;
    // A btree reads backwards as well: one direction for every key needs no DESC, mixed ones keep theirs.
    const uniform = keys.every((k) => k!.descending) || keys.every((k) => !k!.descending);
    const sortCols = (keys as IndexColumn[]).map((k) => (uniform ? { column: k.column } : k));
    const eq = scan.filter ? filterUse(scan.filter, scan.alias, table).eq : [];
    const columns = [...eq.filter((c) => !sortCols.some((s) => s.column === c)).map((column) => ({ column })), ...sortCols];
    candidates.push({ schema: scan.schema, table: scan.table, columns, reason: "sort", evidence: node["Sort Key"].join(", ") });
  });
  return candidates;
}

/** The same table and columns (and directions): one candidate. */
export function candidateKey(c: Pick<Candidate, "schema" | "table" | "columns">): string {
  return `${c.schema}.${c.table}(${c.columns.map((col) => `${col.column}${col.descending ? " DESC" : ""}`).join(",")})`;
}

/** Whether an existing index already starts with these columns (then another one would change nothing). */
export function coveredBy(columns: IndexColumn[], existing: string[][]): boolean {
  return existing.some((index) => columns.length <= index.length && columns.every((c, i) => index[i] === c.column));
}
