// Fails when prisma/schema.prisma or prisma/models/*.prisma change without a migration
// (fix: `npm run db:migration -- <name>`).
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffMigrations, normaliseSql, PRISMA_DIR } from "./schema-engine.ts";

const TIMEOUT = 120_000;

describe("diffMigrations", () => {
  it(
    "finds no schema change missing from the committed migrations",
    async () => {
      const pending = await diffMigrations();
      expect(pending, `schema changes without a migration; run npm run db:migration -- <name>:\n${pending}`).toBe(
        "",
      );
    },
    TIMEOUT,
  );

  it(
    "reports a schema change as SQL",
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "schema-test-"));
      try {
        await cp(path.join(PRISMA_DIR, "schema.prisma"), path.join(dir, "schema.prisma"));
        await cp(path.join(PRISMA_DIR, "models"), path.join(dir, "models"), { recursive: true });
        await writeFile(path.join(dir, "models", "zz-probe.prisma"), "model ZzDiffProbe {\n  id Int @id\n}\n");
        const pending = await diffMigrations({ prismaDir: dir });
        expect(pending).toContain('CREATE TABLE "ZzDiffProbe"');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});

describe("normaliseSql", () => {
  it("treats comments and whitespace as no change", () => {
    expect(normaliseSql(null)).toBe("");
    expect(normaliseSql("-- This is an empty migration.\n\n  \n")).toBe("");
    expect(normaliseSql("\n-- AddColumn\nSELECT 1;\n\n")).toBe("-- AddColumn\nSELECT 1;\n");
  });
});
