/**
 * vitest globalSetup of the stack-pglite project: one embedded database as a first start leaves it
 * (created, migrated, the subgraphs' reference data written; no demo data), made once, that every stack
 * copies instead of running PGlite's initdb, the migrations and that first start again (seconds per
 * stack, a few hundred stacks per CI run). A copy is a fresh database all the same: nothing ever
 * writes to the template.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { build } from "../../gateway/gateway.ts";
import { loadConfig } from "../../lib/env.ts";
import { createLogger } from "../../lib/logger.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated, empty PGlite data directory to copy (tests/utils/stack.ts). */
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-template-"));
  const config = loadConfig({ NODE_ENV: "test", DATA_DIR: dir, DEMO_DATA: "false", LOG_LEVEL: "silent", JWT_SECRET: "template-only-secret-long-enough-for-hs256-0123456789" });
  const app = await build(config, createLogger(config));
  await app.stop();
  project.provide("pgliteTemplate", path.join(dir, "pgdata"));
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
