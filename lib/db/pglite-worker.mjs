// PGlite on its own thread (see pglite-thread.ts). Plain JavaScript so that the worker starts the same
// way under tsx, vitest or plain node, without a TypeScript loader.
import v8 from "node:v8";
import { parentPort, workerData } from "node:worker_threads";

// V8 compiles PGlite's 8.7 MB of WebAssembly on background threads (all of it at once with Liftoff,
// then the hot functions again with TurboFan, most of them during start-up's queries). Each concurrent
// compile job takes its own compiler memory from malloc, and glibc keeps what they free in its arenas:
// with one compile task at a time the process keeps ~15-25 MB less at idle (bench/results/
// gateway-2026-12-03-memory-h11*). Set before PGlite's module is compiled (hence the dynamic imports);
// it is process-wide, so Prisma's query compiler (also WebAssembly, much smaller) compiles the same
// way. The code V8 makes is the same, only made by one thread at a time: CPU per request unchanged.
v8.setFlagsFromString("--wasm-num-compilation-tasks=1");
const { PGlite, types } = await import("@electric-sql/pglite");
const { PGLITE_EXTENSIONS } = await import("./pglite-extensions.mjs");

// Every known type is returned as its raw text: parsing happens on the caller's thread with the
// caller's parsers (Prisma's adapter has its own for dates, numerics, JSON, int8).
const RAW = Object.fromEntries(
  Object.keys(types.parsers)
    .filter((key) => /^\d+$/.test(key))
    .map((oid) => [oid, (value) => value]),
);

/**
 * PostgreSQL's memory settings inside PGlite. Its WebAssembly memory only grows: whatever a setting
 * makes PostgreSQL touch once stays in the process's RSS for good. Its shared memory is allocated and
 * zeroed at start, so PostgreSQL's default shared_buffers (128MB) was ~100 MB of RSS before the first
 * query (measured: embedded gateway idle at 2,000 listings 560 → 4xx MB); 16MB → 8MB and
 * max_connections 100 → 8 take `SHOW shared_memory_size` from 23 to 11 MB. PGlite is one session: the
 * connections it never opens only sized per-backend arrays and the lock table (64 locks per
 * transaction × 22 backend slots still). The pages out of the buffers stay in the operating system's
 * page cache, one read away (PGlite reads the data dir with plain file reads); browse and the listing
 * page measured no slower. The other settings keep PGlite's defaults (work_mem 4MB,
 * maintenance_work_mem 64MB, temp_buffers 8MB; wal_buffers follows shared_buffers, 256kB).
 * Durability is PGlite's own and untouched here.
 */
const PGLITE_SETTINGS = { shared_buffers: "8MB", max_connections: "8" };

const startParams = [...PGlite.defaultStartParams, ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ["-c", `${name}=${value}`])];
const pglite = await PGlite.create({
  ...(workerData.dataDir ? { dataDir: workerData.dataDir } : {}),
  extensions: PGLITE_EXTENSIONS,
  startParams,
});
const transactions = new Map();
let nextTransaction = 1;

function target(txId) {
  if (!txId) return pglite;
  const tx = transactions.get(txId);
  if (!tx) throw new Error(`unknown transaction ${txId}`);
  return tx.tx;
}

function plain(result) {
  return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
}

const handlers = {
  async query({ sql, params, rowMode, txId }) {
    return plain(await target(txId).query(sql, params, { rowMode, parsers: RAW }));
  },
  async exec({ sql, txId }) {
    return (await target(txId).exec(sql, { parsers: RAW })).map(plain);
  },
  async begin() {
    const id = nextTransaction++;
    // PGlite holds its exclusive lock for as long as the callback runs; "end" lets it finish.
    await new Promise((started, failed) => {
      const done = pglite
        .transaction(
          (tx) =>
            new Promise((finish) => {
              transactions.set(id, { tx, finish, done });
              started();
            }),
        )
        .catch((error) => {
          failed(error);
          throw error;
        });
      done.catch(() => {});
    });
    return id;
  },
  async rollback({ txId }) {
    await transactions.get(txId)?.tx.rollback();
  },
  async end({ txId }) {
    const entry = transactions.get(txId);
    if (!entry) return;
    transactions.delete(txId);
    entry.finish();
    await entry.done;
  },
  async close() {
    await pglite.query("CHECKPOINT");
    await pglite.close();
  },
};

parentPort.on("message", async ({ id, op, args }) => {
  try {
    const result = await handlers[op](args ?? {});
    parentPort.postMessage({ id, result });
  } catch (error) {
    // PostgreSQL's fields (code, detail, constraint…) travel as plain values; the caller rebuilds a
    // DatabaseError. Only strings and numbers: other own fields may not survive structured cloning.
    const fields = Object.fromEntries(
      Object.entries(error).filter(([, value]) => typeof value === "string" || typeof value === "number"),
    );
    parentPort.postMessage({ id, error: { ...fields, message: String(error.message), name: String(error.name) } });
  }
});
parentPort.postMessage({ ready: true });
