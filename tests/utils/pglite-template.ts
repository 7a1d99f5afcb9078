/**
 * vitest globalSetup of the stack-pglite project: one embedded database, created and migrated once,
 * that every stack copies instead of running PGlite's initdb and the migrations again (seconds per
 * stack, a few hundred stacks per CI run). A copy is a fresh database all the same: nothing ever
 * writes to the template.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../lib/db/database.ts";
import { createLogger } from "../../lib/logger.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated, empty PGlite data directory to copy (tests/utils/stack.ts). */
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-template-"));
  const db = await openDatabase({ DATA_DIR: dir }, createLogger({ LOG_LEVEL: "silent" }));
  await db.close();
  project.provide("pgliteTemplate", path.join(dir, "pgdata"));
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
