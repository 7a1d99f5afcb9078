import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, postgresUnavailable } from "../../tests/utils/databases.ts";
import { createLogger } from "../logger.ts";
import { openDatabase, type Database } from "./database.ts";

const log = createLogger({ LOG_LEVEL: "silent" });

/** executeSql, as its interface promises on both backends: a script answers its last statement's rows. */
function executeSqlContract(open: () => Promise<Database>) {
  let db: Database | undefined;
  afterAll(() => db?.close());

  it("answers a script's last rows, and a parameterised statement's rows, without building the Prisma client", async () => {
    db = await open();
    expect((await db.executeSql("SELECT 1 AS a; SELECT 2 AS b, 'x' AS c")).rows).toEqual([{ b: 2, c: "x" }]);
    expect((await db.executeSql("SELECT $1::int AS n", [3])).rows).toEqual([{ n: 3 }]);
    expect((await db.executeSql("SET LOCAL statement_timeout = 1000; SELECT count(*)::int AS users FROM \"User\"")).rows).toEqual([{ users: expect.any(Number) }]);
    await db.ping();
    expect(db.stats().prismaClient).toBe(false);
    // Opening includes creating the embedded database (migrations): ~20 s on a busy 2-core machine.
  }, 120_000);

  it("runs transactionSql on one connection: committed when fn resolves, rolled back when it throws", async () => {
    db ??= await open();
    await db.executeSql("CREATE TABLE tx_probe (n int)");
    const tx = await db.transactionSql(async (sql) => {
      await sql("INSERT INTO tx_probe VALUES ($1)", [1]);
      const [first] = (await sql("SELECT 1 AS one; SELECT txid_current_if_assigned()::text AS tx")).rows as { tx: string | null }[];
      const [again] = (await sql("SELECT txid_current_if_assigned()::text AS tx")).rows as { tx: string | null }[];
      expect(first!.tx).not.toBeNull();
      expect(again!.tx).toBe(first!.tx);
      return first!.tx;
    });
    expect(tx).toEqual(expect.any(String));
    await expect(
      db.transactionSql(async (sql) => {
        await sql("INSERT INTO tx_probe VALUES (2)");
        throw new Error("roll it back");
      }),
    ).rejects.toThrow("roll it back");
    expect((await db.executeSql("SELECT n FROM tx_probe ORDER BY n")).rows).toEqual([{ n: 1 }]);
  });

  it("builds the Prisma client on first use, once", async () => {
    db ??= await open();
    const prisma = db.prisma;
    expect(db.stats().prismaClient).toBe(true);
    expect(db.prisma).toBe(prisma);
    expect(await prisma.user.count()).toEqual(expect.any(Number));
  });
}

describe("Database.executeSql on PGlite", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-db-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  executeSqlContract(() => openDatabase({ DATA_DIR: dataDir }, log));
});

const unavailable = await postgresUnavailable();
describe.skipIf(unavailable)("Database.executeSql on PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  afterAll(() => database?.drop());
  executeSqlContract(async () => {
    database = await createPostgresDatabase();
    return openDatabase({ DATABASE_URL: database.url, DATA_DIR: os.tmpdir() }, log);
  });
});
