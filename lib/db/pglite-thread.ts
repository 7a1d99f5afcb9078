/**
 * The embedded database on a worker thread. PGlite (PostgreSQL compiled to WebAssembly) runs
 * synchronously on whatever thread owns it; measured in the gateway it took about half of the process's
 * CPU and capped embedded mode at one core. Here it owns a thread of its own, and this proxy offers
 * the part of PGlite's API that Prisma's PGlite adapter and the migration runner use (query, exec,
 * transaction) — so the gateway's JavaScript and the database use both cores.
 */
import { Worker } from "node:worker_threads";
import { messages, types, type PGlite, type Results, type Transaction } from "@electric-sql/pglite";

type Parsers = NonNullable<Parameters<typeof types.parseType>[2]>;
interface QueryOptions {
  rowMode?: "array" | "object";
  parsers?: Parsers;
}
interface RawResults {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}
interface Reply {
  id: number;
  result?: unknown;
  error?: Record<string, unknown> & { message: string };
}

function parseResults(raw: RawResults, options: QueryOptions = {}): Results {
  const parse = (value: unknown, typeId: number) =>
    value === null ? null : types.parseType(value as string, typeId, options.parsers);
  const rows = raw.rows.map((row) =>
    Array.isArray(row)
      ? row.map((value, i) => parse(value, raw.fields[i]!.dataTypeID))
      : Object.fromEntries(raw.fields.map((f) => [f.name, parse((row as Record<string, unknown>)[f.name], f.dataTypeID)])),
  );
  return { rows, fields: raw.fields, affectedRows: raw.affectedRows } as Results;
}

/** PostgreSQL errors come back as DatabaseError, so the Prisma adapter maps them (P2002 and co). */
function rebuildError(error: NonNullable<Reply["error"]>): Error {
  if (typeof error.code === "string") {
    const rebuilt = new messages.DatabaseError(error.message, 0, "error");
    return Object.assign(rebuilt, error);
  }
  return Object.assign(new Error(error.message), error);
}

/** The PGlite thread's young generation in MB (see start). */
const YOUNG_GENERATION_MB = 4;

export class PGliteThread {
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  /** Set once the thread has died: later calls fail at once instead of waiting for a reply. */
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (reply: Reply) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (reply.error) call.reject(rebuildError(reply.error));
      else call.resolve(reply.result);
    });
    // A dead thread must fail its callers, never leave them waiting.
    worker.on("error", (error) => this.failAll(error));
    worker.on("exit", (code) => this.failAll(new Error(`The embedded database thread exited (code ${code}).`)));
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }

  static async start(dataDir: string | undefined): Promise<PGliteThread> {
    // The thread's young generation capped at 4 MB (V8's default lets it grow to 3 × 16 MB, and start-up
    // grows it to ~16 MB that stay until V8's memory reducer runs): PGlite's JavaScript keeps little
    // (its heap is ~13 MB after start), and each reply is copied out to the caller's thread.
    const worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), {
      workerData: { dataDir },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
    });
    return new PGliteThread(worker);
  }

  private call<T>(op: string, args?: object): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, op, args });
    });
  }

  async query<T>(sql: string, params: unknown[] = [], options?: QueryOptions, txId?: number): Promise<Results<T>> {
    const raw = await this.call<RawResults>("query", { sql, params, rowMode: options?.rowMode, txId });
    return parseResults(raw, options) as Results<T>;
  }

  async exec(sql: string, options?: QueryOptions, txId?: number): Promise<Results[]> {
    const raw = await this.call<RawResults[]>("exec", { sql, txId });
    return raw.map((r) => parseResults(r, options));
  }

  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    const txId = await this.call<number>("begin");
    let closed = false;
    const tx = {
      query: (sql: string, params?: unknown[], options?: QueryOptions) => this.query(sql, params, options, txId),
      exec: (sql: string, options?: QueryOptions) => this.exec(sql, options, txId),
      rollback: async () => {
        closed = true;
        await this.call("rollback", { txId });
      },
      get closed() {
        return closed;
      },
    } as unknown as Transaction;
    try {
      const result = await callback(tx);
      await this.call("end", { txId });
      return result;
    } catch (error) {
      if (!closed) await this.call("rollback", { txId }).catch(() => {});
      await this.call("end", { txId }).catch(() => {});
      throw error;
    }
  }

  /** Checkpoints, closes the database and stops the thread. */
  async close(): Promise<void> {
    await this.call("close");
    await this.worker.terminate();
  }

  /** For code typed against PGlite: this proxy offers the subset of it that those callers use. */
  asPGlite(): PGlite {
    return this as unknown as PGlite;
  }
}
