/**
 * Starts the whole API (gateway + every subgraph, embedded mode) on a free port, on a fresh database
 * of the backend under test, and stops it with everything it created.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, inject } from "vitest";
import { build, type App } from "../../gateway/gateway.ts";
import { loadConfig } from "../../lib/env.ts";
import { createLogger } from "../../lib/logger.ts";
import { graphql, type GraphQLResponse } from "./client.ts";
import { backend, createTestDatabase, unavailable } from "./databases.ts";

export { backend };

/** `describe` for stack suites: skipped (with the reason printed) only where the backend is absent. */
export const describeStack = describe.skipIf(!!unavailable);

export interface Stack {
  url: string;
  app: App;
  dataDir: string;
  /** The PostgreSQL database of the stack (TEST_DATABASE=postgres), for a second gateway on it. */
  databaseUrl?: string;
  request<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  /** Stops the app and starts a new one on the same data (a new port): `url` and `app` change. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

export const RELAXED_RATE_LIMITS = {
  RATE_LIMIT_REQUESTS_PER_MINUTE: "100000",
  RATE_LIMIT_MUTATIONS_PER_MINUTE: "100000",
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: "100000",
  RATE_LIMIT_SIGN_IN_PER_IP: "100000",
  RATE_LIMIT_SIGN_UP_PER_IP: "100000",
};

/**
 * Published listings go live at once, the chat is not scanned and feeds are not imported (no job queue
 * in the listings and chat subgraphs), unless a suite tests those flows with the defaults
 * (tests/moderation.test.ts, tests/agents-manus.test.ts).
 */
export const WITHOUT_AGENT_FLOWS = { LISTING_MODERATION: "off", CHAT_SCAN_INTERVAL_SECONDS: "0", LISTING_IMPORTS: "false" };

/** The stack-pglite project's migrated empty database (tests/utils/pglite-template.ts). */
const pgliteTemplate = backend === "pglite" ? inject("pgliteTemplate") : undefined;

export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-test-"));
  // A copy of the template is the same fresh database without initdb and migrations; demo data is
  // loaded only into a database being created, so a stack that asks for it creates its own.
  if (pgliteTemplate && !isOn(env.DEMO_DATA)) fs.cpSync(pgliteTemplate, path.join(dataDir, "pgdata"), { recursive: true });
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dataDir,
    DEMO_DATA: "false",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    JWT_SECRET: TEST_JWT_SECRET,
    ...WITHOUT_AGENT_FLOWS,
    // Suites sign up many users and write many listings from one address in seconds; the limits
    // themselves are tested with their defaults (or tighter) in tests/rate-limits.test.ts.
    ...RELAXED_RATE_LIMITS,
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const app = await build(config, createLogger(config)).catch(async (error: unknown) => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const { port } = await app.start();
  const stack: Stack = {
    url: `http://127.0.0.1:${port}/graphql`,
    app,
    dataDir,
    databaseUrl: database.url,
    request: (query, variables, options) => graphql(stack.url, query, variables, options),
    async restart() {
      await stack.app.stop();
      stack.app = await build(config, createLogger(config));
      stack.url = `http://127.0.0.1:${(await stack.app.start()).port}/graphql`;
    },
    async stop() {
      await stack.app.stop();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

function isOn(value: string | undefined): boolean {
  return value !== undefined && ["on", "true", "1", "yes"].includes(value.toLowerCase());
}
