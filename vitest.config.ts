/**
 * Unit tests sit beside the code; stack tests (tests/) start the real API and go through its public
 * endpoint. The stack suite runs twice: on embedded PGlite and on the PostgreSQL server
 * (TEST_DATABASE=postgres), each run in fresh databases.
 */
import { defineConfig } from "vitest/config";

const stack = { include: ["tests/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["{lib,subgraphs,gateway,prisma}/**/*.test.ts"], testTimeout: 30_000 } },
      { test: { name: "stack-pglite", ...stack, env: { TEST_DATABASE: "pglite" } } },
      { test: { name: "stack-postgres", ...stack, env: { TEST_DATABASE: "postgres" } } },
    ],
  },
});
