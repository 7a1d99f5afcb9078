import { describe, expect, it } from "vitest";
import { messages } from "@electric-sql/pglite";
import { PGliteThread } from "./pglite-thread.ts";

describe("PGlite on a worker thread", () => {
  it("queries, parses types on this thread, and reports PostgreSQL errors as DatabaseError", async () => {
    const db = await PGliteThread.start(undefined);
    try {
      await db.exec("CREATE TABLE t (id int PRIMARY KEY, at timestamptz, data jsonb, big int8)");
      await db.query("INSERT INTO t VALUES (1, '2026-11-27T10:00:00Z', '{\"a\":1}', 9007199254740993)");
      const { rows } = await db.query<{ id: number; at: Date; data: unknown; big: bigint }>("SELECT * FROM t");
      expect(rows[0]).toEqual({ id: 1, at: new Date("2026-11-27T10:00:00Z"), data: { a: 1 }, big: 9007199254740993n });
      const duplicate = await db.query("INSERT INTO t (id) VALUES (1)").catch((error: unknown) => error);
      expect(duplicate).toBeInstanceOf(messages.DatabaseError);
      expect((duplicate as { code: string }).code).toBe("23505");
    } finally {
      await db.close();
    }
  });

  it("commits transactions, rolls back failed ones, and fails fast once the thread is gone", async () => {
    const db = await PGliteThread.start(undefined);
    await db.exec("CREATE TABLE t (id int PRIMARY KEY)");
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES (1)");
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (2)");
        throw new Error("abandon");
      }),
    ).rejects.toThrow("abandon");
    expect((await db.query<{ id: number }>("SELECT id FROM t")).rows).toEqual([{ id: 1 }]);
    await db.close();
    await expect(db.query("SELECT 1")).rejects.toThrow(/exited/);
  });
});
