/**
 * The recorder's arithmetic on a real database (in-memory PGlite with the migrations): two processes'
 * flushes merging into one hour's rows (counts, times, a p95 from both histograms), the bounded tallies
 * evicting the least used, statements with IN lists of any length being one statement.
 */
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../../prisma/generated/client.ts";
import { applyMigrations, pgliteExecutor } from "../db/migrations.ts";
import { PGLITE_EXTENSIONS } from "../db/pglite-extensions.mjs";
import { OperationRecorder } from "./operation-recorder.ts";
import { statementText } from "./sql-text.ts";
import { readOperations, readStatements } from "./store.ts";

const log = pino({ level: "silent" });

describe("the operation recorder", () => {
  let db: PGlite;
  let prisma: PrismaClient;
  const since = new Date(Date.now() - 3_600_000);

  beforeAll(async () => {
    db = new PGlite({ extensions: PGLITE_EXTENSIONS });
    await applyMigrations(pgliteExecutor(db));
    prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  }, 60_000);

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.close();
  });

  it("merges two processes' flushes: counts and times add up, p95 comes from both histograms", async () => {
    const a = new OperationRecorder(prisma, log);
    const b = new OperationRecorder(prisma, log);
    // a: 90 fast executions; b: 10 slow ones. p95 of the 100 is a slow one, which neither alone says of both.
    for (let i = 0; i < 90; i++) a.operation("Merged", 10, 3);
    for (let i = 0; i < 10; i++) b.operation("Merged", 500);
    await Promise.all([a.flush(), b.flush()]);
    for (let i = 0; i < 10; i++) a.operation("Merged", 10, 5);
    await a.flush();

    const merged = (await readOperations(prisma, since)).find((o) => o.operation === "Merged")!;
    expect(merged.count).toBe(110);
    expect(merged.maxMs).toBe(500);
    expect(merged.meanMs).toBeCloseTo((100 * 10 + 10 * 500) / 110, 2);
    expect(merged.p95Ms).toBeGreaterThan(495);
    expect(merged.p95Ms).toBeLessThan(505);
    // Only a's executions were counted: (90 × 3 + 10 × 5) / 100.
    expect(merged.sqlStatements).toBeCloseTo(3.2, 5);
    expect(await prisma.observedOperation.count({ where: { operation: "Merged" } })).toBe(1);
  });

  it("keeps at most its limit of tallies between flushes, the least used making room", async () => {
    const recorder = new OperationRecorder(prisma, log, { flushSeconds: 60, maxOperations: 2, maxStatements: 2 });
    for (let i = 0; i < 5; i++) recorder.operation("KeptBusy", 1);
    recorder.operation("EvictedQuiet", 1);
    recorder.operation("KeptNew", 1);
    await recorder.flush();
    const names = (await readOperations(prisma, since)).map((o) => o.operation);
    expect(names).toEqual(expect.arrayContaining(["KeptBusy", "KeptNew"]));
    expect(names).not.toContain("EvictedQuiet");
  });

  it("counts a statement once whatever its IN list's length or its layout, and times it", async () => {
    expect(statementText('SELECT * FROM "T" WHERE id IN ($1,$2)').fingerprint).toBe(statementText('SELECT *  FROM "T"\n WHERE id IN ($1, $2, $3, $4)').fingerprint);
    expect(statementText("SELECT 1 WHERE a = $1").fingerprint).not.toBe(statementText("SELECT 1 WHERE b = $1").fingerprint);

    const recorder = new OperationRecorder(prisma, log);
    recorder.statement('SELECT "id" FROM "public"."Listing" WHERE "id" IN ($1,$2)', 2);
    recorder.statement('SELECT "id" FROM "public"."Listing" WHERE "id" IN ($1,$2,$3)', 6);
    // Its own statements are never recorded (each flush would record the last one's).
    recorder.statement('INSERT INTO "ObservedStatement" ("hour") VALUES ($1)', 1);
    await recorder.flush();
    const statements = await readStatements(prisma, since, { limit: 10, orderBy: "total" });
    expect(statements).toEqual([
      expect.objectContaining({ query: 'SELECT "id" FROM "public"."Listing" WHERE "id" IN ($1,$2)', count: 2, totalMs: 8, meanMs: 4, maxMs: 6 }),
    ]);
  });
});
