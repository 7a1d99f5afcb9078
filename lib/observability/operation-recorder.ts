/**
 * The API's own record of what it serves: per GraphQL operation its executions, time (p95 from an
 * HdrHistogram) and SQL statements, and per SQL statement its executions and time. Tallied in memory
 * (a fixed number of operations and statements, the least used making room), merged into the database
 * every few seconds (store.ts) so that other processes read it: taita reports the slowest operations,
 * phitagora EXPLAINs the slowest statements.
 *
 * On the request path it costs a Map lookup and a histogram increment per operation, and a Map lookup
 * and two additions per SQL statement; everything else happens at flush time, off the request path.
 */
import type { Database, PrismaClient } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { latencyHistogram, recordMs, type Histogram } from "./latency.ts";
import { LeastUsedMap } from "./least-used.ts";
import { statementText, type StatementText } from "./sql-text.ts";
import { writeWindow, type OperationWindow, type StatementWindow } from "./store.ts";

export interface RecorderSettings {
  flushSeconds: number;
  /** Distinct operations (statements) tallied between two flushes. */
  maxOperations: number;
  maxStatements: number;
}

export const DEFAULT_RECORDER_SETTINGS: RecorderSettings = { flushSeconds: 60, maxOperations: 200, maxStatements: 500 };

interface OperationTally {
  count: number;
  totalMs: number;
  maxMs: number;
  sqlCounted: number;
  sqlStatements: number;
  histogram: Histogram;
}

interface StatementTally {
  count: number;
  totalMs: number;
  maxMs: number;
  text: string;
}

/** The recorder's own statements: recording them would record every flush. */
const OWN_TABLES = /"Observed(Operation|Statement)"/;

export class OperationRecorder {
  private readonly operations: LeastUsedMap<OperationTally>;
  private readonly statements: LeastUsedMap<StatementTally>;
  /** SQL text as sent → its identity; computed once per text (hashing is the costly part). */
  private texts = new Map<string, StatementText | null>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
    private readonly settings: RecorderSettings = DEFAULT_RECORDER_SETTINGS,
    private readonly detach?: () => void,
  ) {
    this.operations = new LeastUsedMap(settings.maxOperations, () => ({ count: 0, totalMs: 0, maxMs: 0, sqlCounted: 0, sqlStatements: 0, histogram: latencyHistogram() }));
    this.statements = new LeastUsedMap(settings.maxStatements, () => ({ count: 0, totalMs: 0, maxMs: 0, text: "" }));
  }

  /** A recorder of the database's statements (timed from now on), flushing on its timer until stop(). */
  static attach(db: Pick<Database, "prisma" | "observeStatements">, log: Logger, settings: Partial<RecorderSettings> = {}): OperationRecorder {
    const recorder = new OperationRecorder(db.prisma, log, { ...DEFAULT_RECORDER_SETTINGS, ...settings }, () => db.observeStatements(undefined));
    db.observeStatements(recorder.statement);
    recorder.start();
    return recorder;
  }

  /** One execution of an operation; `sqlStatements` when its statements were counted. */
  operation(name: string, ms: number, sqlStatements?: number): void {
    const tally = this.operations.tally(name);
    tally.count++;
    tally.totalMs += ms;
    if (ms > tally.maxMs) tally.maxMs = ms;
    recordMs(tally.histogram, ms);
    if (sqlStatements !== undefined) {
      tally.sqlCounted++;
      tally.sqlStatements += sqlStatements;
    }
  }

  /** One SQL statement (lib/db's StatementObserver). */
  readonly statement = (sql: string, ms: number): void => {
    let identity = this.texts.get(sql);
    if (identity === undefined) {
      identity = OWN_TABLES.test(sql) ? null : statementText(sql);
      // Texts are few (the API's statements are parameterised); a flood of new ones is cut, not kept.
      if (this.texts.size >= this.settings.maxStatements * 4) this.texts.clear();
      this.texts.set(sql, identity);
    }
    if (identity === null) return;
    const tally = this.statements.tally(identity.fingerprint);
    if (tally.count === 0) tally.text = identity.text;
    tally.count++;
    tally.totalMs += ms;
    if (ms > tally.maxMs) tally.maxMs = ms;
  };

  /** Flushes every settings.flushSeconds until stop(). */
  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.settings.flushSeconds * 1000).unref();
  }

  /** Stops observing statements and the timer, and writes what is left. */
  async stop(): Promise<void> {
    this.detach?.();
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Writes the tallies since the last flush; one at a time. A failed write is logged and its tallies lost. */
  flush(): Promise<void> {
    const previous = this.flushing ?? Promise.resolve();
    const next = previous.then(() => this.write());
    this.flushing = next;
    return next;
  }

  private async write(): Promise<void> {
    const operations = this.operations.drain();
    const statements = this.statements.drain();
    if (operations.dropped + statements.dropped > 0) {
      this.log.warn({ operations: operations.dropped, statements: statements.dropped }, "operation recorder: tallies dropped to stay within its limits");
    }
    if (operations.entries.length === 0 && statements.entries.length === 0) return;
    const ops: OperationWindow[] = operations.entries.map(([operation, t]) => ({ operation, ...t }));
    const stmts: StatementWindow[] = statements.entries.map(([fingerprint, t]) => ({ fingerprint, query: t.text, count: t.count, totalMs: t.totalMs, maxMs: t.maxMs }));
    try {
      await writeWindow(this.prisma, new Date(), ops, stmts);
    } catch (error) {
      this.log.warn({ err: error, operations: ops.length, statements: stmts.length }, "operation recorder: a flush failed; its figures are lost");
    }
  }
}
