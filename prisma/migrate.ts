// Migration CLI on the WASM schema engine (see prisma/schema-engine.ts).
//
//   tsx prisma/migrate.ts create <name>   write prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql
//                                         with the SQL from the committed migrations to the schema
//   tsx prisma/migrate.ts check           exit 1 (printing the SQL) if the schema has changes that no
//                                         committed migration captures
//
// npm scripts: `npm run db:migration -- <name>`, `npm run db:check`.
// Migrations are applied at server start by lib/db/migrations.ts.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { diffMigrations, MIGRATION_FILE, MIGRATIONS_DIR, readMigrationsList } from "./schema-engine.ts";

const USAGE = `usage:
  tsx prisma/migrate.ts create <name>   create a migration from the schema changes
  tsx prisma/migrate.ts check           fail if the schema has changes without a migration`;

/** YYYYMMDDHHMMSS in UTC, like Prisma Migrate. */
export function migrationTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

/** Lower-case snake_case, [a-z0-9_] only; "" if nothing usable is left. */
export function sanitizeMigrationName(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
}

async function create(rawName: string | undefined): Promise<number> {
  const name = sanitizeMigrationName(rawName ?? "");
  if (!name) {
    console.error(`A migration name is required.\n${USAGE}`);
    return 2;
  }
  const sql = await diffMigrations();
  if (!sql) {
    console.error("No schema changes: prisma/schema.prisma and prisma/models/*.prisma match the migrations.");
    console.error("Nothing was written.");
    return 1;
  }
  const existing = (await readMigrationsList()).migrationDirectories.map((d) => d.path);
  let dirName = `${migrationTimestamp()}_${name}`;
  const last = existing.at(-1);
  if (last !== undefined && dirName <= last) {
    // Keep name order == creation order even if the clock went backwards or two runs share a second.
    const next = Number(last.slice(0, 14)) + 1;
    dirName = `${Number.isFinite(next) ? String(next) : migrationTimestamp()}_${name}`;
  }
  const dir = path.join(MIGRATIONS_DIR, dirName);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, MIGRATION_FILE);
  await writeFile(file, sql, { flag: "wx" });
  console.log(`Created ${path.relative(process.cwd(), file)}:\n`);
  console.log(sql);
  console.log("Review it (hand-written SQL may be added), then commit it with the schema change.");
  return 0;
}

async function check(): Promise<number> {
  const sql = await diffMigrations();
  if (!sql) {
    console.log("Migrations are up to date with the Prisma schema.");
    return 0;
  }
  console.error(
    "The Prisma schema has changes that are not captured in a migration under prisma/migrations.\n" +
      "Create one with: npm run db:migration -- <name>\n\n" +
      "Pending SQL:\n",
  );
  console.error(sql);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "create":
      if (args.length > 1) {
        console.error(`Expected one migration name, got: ${args.join(" ")}\n${USAGE}`);
        return 2;
      }
      return create(args[0]);
    case "check":
      return check();
    default:
      console.error(USAGE);
      return 2;
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
