/**
 * Unit tests sit beside the code; stack tests (tests/) start the real API and go through its public
 * endpoint. The stack suite runs twice: on embedded PGlite and on the PostgreSQL server
 * (TEST_DATABASE=postgres), each run in fresh databases.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const stack = { include: ["tests/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module). Node, and so Apollo's CJS packages, load the CJS
    // build; Vite would pick the ESM one for our files, and two graphql instances refuse each other's
    // types. Resolve ours the way Node does.
    alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL("node_modules/graphql/index.js", import.meta.url)) }],
  },
  test: {
    // Vitest's default is one file fewer than the cores: one at a time on CI's 2 cores. Stack tests
    // spend much of their time waiting on sockets, PostgreSQL and timers, so two files share them.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["{lib,subgraphs,gateway,prisma}/**/*.test.ts"], testTimeout: 30_000 } },
      // Restarts and crashes of the embedded database concern PGlite; separate processes need a server.
      {
        extends: true,
        test: {
          name: "stack-pglite",
          ...stack,
          exclude: ["tests/distributed.test.ts", "tests/hive-interop.test.ts", "tests/agent-workers.test.ts", "tests/gateway-processes.test.ts", "tests/job-queue.test.ts"],
          env: { TEST_DATABASE: "pglite" },
          globalSetup: ["tests/utils/pglite-template.ts"],
        },
      },
      { extends: true, test: { name: "stack-postgres", ...stack, exclude: ["tests/persistence.test.ts", "tests/production-start.test.ts", "tests/admin-agents-page.test.ts"], env: { TEST_DATABASE: "postgres" } } },
    ],
  },
});
