import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../lib/db/database.ts";
import { createLogger } from "../../../lib/logger.ts";
import { Catalog } from "./catalog.ts";
import { syncCategories } from "./sync.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-sync-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("category sync", () => {
  it("writes the whole catalog once, then only what changed: a restart reads and writes nothing", async () => {
    const db = await openDatabase({ DATA_DIR: dir }, createLogger({ LOG_LEVEL: "silent" }));
    try {
      const catalog = new Catalog();
      await syncCategories(db.prisma, catalog);
      expect(await db.prisma.category.count()).toBe(catalog.all().length);
      const before = db.stats().statements;
      await syncCategories(db.prisma, catalog);
      expect(db.stats().statements - before).toBe(1);
      // A row that drifted from the code is put back.
      const first = catalog.all()[0]!;
      await db.prisma.category.update({ where: { id: first.id }, data: { name: "altceva" } });
      await syncCategories(db.prisma, catalog);
      expect((await db.prisma.category.findUniqueOrThrow({ where: { id: first.id } })).name).toBe(first.name);
    } finally {
      await db.close();
    }
    // A fresh embedded database (initdb in WebAssembly) takes tens of seconds on a busy machine.
  }, 120_000);
});
