// Dev-time access to Prisma's schema engine, compiled to WASM (@prisma/schema-engine-wasm), because the
// native engine cannot be downloaded here. The engine talks to the database through a driver adapter; we
// give it a throwaway in-memory PGlite, which is also the shadow database in which it replays the
// committed migrations (see ShadowPGliteFactory).
//
// Node 20 cannot import the package's ESM entry (it imports a `.wasm` file), so the wasm-bindgen glue
// module is imported directly and the WASM bytes are instantiated by hand.
//
// Not used at runtime: lib/db/migrations.ts applies migrations without any of this.
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLITE_EXTENSIONS } from "../lib/db/pglite-extensions.mjs";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type {
  MigrationDirectory,
  MigrationList,
  SchemaContainer,
  SchemaEngine,
  SchemaFilter,
} from "@prisma/schema-engine-wasm";
import * as wasmGlue from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PrismaPGlite } from "pglite-prisma-adapter";

/** The prisma/ directory (this file's directory). */
export const PRISMA_DIR = path.dirname(fileURLToPath(import.meta.url));
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
export const MIGRATION_FILE = "migration.sql";

const DEFAULT_LOCKFILE = 'provider = "postgresql"\n';
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

// The WebAssembly global is not typed with lib ES2023 + @types/node 20; this is the part used here.
const WebAssemblyApi = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;

let wasmReady: Promise<void> | undefined;

/** Instantiates the schema engine's WASM module once per process. */
export function loadSchemaEngineWasm(): Promise<void> {
  wasmReady ??= (async () => {
    // The package's "exports" do not list the .wasm file; resolve it next to the glue module.
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssemblyApi.instantiate(bytes, { "./schema_engine_bg.js": wasmGlue });
    wasmGlue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmReady;
}

/** schema.prisma plus models/*.prisma, with paths relative to prismaDir (sorted, schema.prisma first). */
export async function readSchemaFiles(prismaDir: string = PRISMA_DIR): Promise<SchemaContainer[]> {
  const files: SchemaContainer[] = [
    { path: "schema.prisma", content: await readFile(path.join(prismaDir, "schema.prisma"), "utf8") },
  ];
  const modelsDir = path.join(prismaDir, "models");
  const names = (await readdir(modelsDir).catch(() => [] as string[]))
    .filter((n) => n.endsWith(".prisma"))
    .sort();
  for (const name of names) {
    files.push({ path: `models/${name}`, content: await readFile(path.join(modelsDir, name), "utf8") });
  }
  return files;
}

/** Committed migration directories (those containing migration.sql), in name order. */
export async function readMigrationsList(migrationsDir: string = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [];
    throw err;
  });
  const migrationDirectories: MigrationDirectory[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => cmp(a.name, b.name))) {
    const file = path.join(migrationsDir, entry.name, MIGRATION_FILE);
    let content: string;
    try {
      content = await readFile(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw err;
    }
    migrationDirectories.push({
      path: entry.name,
      migrationFile: { path: MIGRATION_FILE, content: { tag: "ok", value: content } },
    });
  }
  // The engine takes the connector from migration_lock.toml. The repo does not keep one (nothing but this
  // code reads it), so a missing file stands for the datasource's provider.
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const lockContent = (await readFile(lockPath, "utf8").catch(() => null)) ?? DEFAULT_LOCKFILE;
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

export interface EngineHandle {
  engine: SchemaEngine;
  /**
   * The in-memory PGlite the engine is connected to. It is a throwaway database, so it also serves as the
   * engine's first shadow database (see ShadowPGliteFactory).
   */
  pglite: PGlite;
  /** Engine log lines (JSON strings), useful when a call fails. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * Driver adapter factory over an in-memory PGlite. pglite-prisma-adapter's own factory opens a new PGlite
 * for every shadow database and never closes it; starting a PGlite costs ~2 s here, so the (throwaway,
 * empty) main database is handed out as the first shadow database, and later ones are fresh PGlites
 * that close() shuts down.
 */
class ShadowPGliteFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "pglite-shadow";
  private mainUsedAsShadow = false;
  readonly extra: PGlite[] = [];

  constructor(private readonly main: PGlite) {}

  connect(): Promise<SqlDriverAdapter> {
    return new PrismaPGlite(this.main).connect();
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    let db = this.main;
    if (this.mainUsedAsShadow) {
      db = new PGlite({ extensions: PGLITE_EXTENSIONS });
      this.extra.push(db);
    }
    this.mainUsedAsShadow = true;
    return new PrismaPGlite(db).connect();
  }
}

/**
 * A schema engine connected to a fresh in-memory PGlite, loaded with the given Prisma schema files.
 * Meant for one operation (a diff, a push, ...) on a throwaway database: the connected database doubles
 * as the first shadow database.
 */
export async function createSchemaEngine(schemaFiles?: SchemaContainer[]): Promise<EngineHandle> {
  await loadSchemaEngineWasm();
  const files = schemaFiles ?? (await readSchemaFiles());
  const pglite = new PGlite({ extensions: PGLITE_EXTENSIONS });
  const logs: string[] = [];
  const factory = new ShadowPGliteFactory(pglite);
  const engine = await wasmGlue.SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content] as [string, string]) },
    (line: string) => void logs.push(line),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return {
    engine,
    pglite,
    logs,
    async close() {
      engine.free();
      await Promise.all([pglite, ...factory.extra].map((db) => db.close()));
    },
  };
}

/** Drops comment-only lines and surrounding whitespace; "" means "no change". */
export function normaliseSql(sql: string | null | undefined): string {
  if (!sql) return "";
  const meaningful = sql
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("--"));
  return meaningful.length === 0 ? "" : sql.trim() + "\n";
}

export interface DiffOptions {
  prismaDir?: string;
  migrationsDir?: string;
}

/**
 * SQL that takes a database from the state produced by the committed migrations
 * (prisma/migrations/<name>/migration.sql, in name order, replayed in a fresh in-memory PGlite) to the
 * datamodel of prisma/schema.prisma + prisma/models/*.prisma. "" when they already agree.
 */
export async function diffMigrations(options: DiffOptions = {}): Promise<string> {
  const files = await readSchemaFiles(options.prismaDir ?? PRISMA_DIR);
  const migrations = await readMigrationsList(options.migrationsDir ?? MIGRATIONS_DIR);
  const handle = await createSchemaEngine(files);
  try {
    const result = await handle.engine.diff({
      from: { tag: "migrations", ...migrations },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return normaliseSql(result.stdout);
  } catch (err) {
    throw withLogs(err, handle.logs);
  } finally {
    await handle.close();
  }
}

function withLogs(err: unknown, logs: string[]): unknown {
  if (err instanceof Error && logs.length > 0) {
    err.message += `\nschema engine log:\n${logs.slice(-20).join("\n")}`;
  }
  return err;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
