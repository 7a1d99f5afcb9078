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
