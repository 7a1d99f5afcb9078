/**
 * The job queue (lib/jobs.ts) when several processes start on one new database at once, as compose's
 * subgraph processes and GATEWAY_PROCESSES replicas do: each creates its queues, and pg-boss's
 * create_queue deadlocks between them. Every one must still start.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../lib/db/database.ts";
import { openJobQueue, type JobQueue } from "../lib/jobs.ts";
import { createLogger } from "../lib/logger.ts";
import { createPostgresDatabase, unavailable, type TestDatabase } from "./utils/databases.ts";

// Runs in the PostgreSQL project only (vitest.config.ts): concurrent sessions need a server.
describe.skipIf(!!unavailable)("job queues opened together on a new database", () => {
  const log = createLogger({ LOG_LEVEL: "silent" });
  let database: TestDatabase & { url: string };
  const opened: { db: Database; jobs?: JobQueue }[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase("piata_jobs");
  });
  afterAll(async () => {
    for (const { db, jobs } of opened) {
      await jobs?.stop({ graceful: false, wait: true });
      await db.close();
    }
    await database?.drop();
  });

  it("creates the same queues from four processes' pools at once, without a deadlock failing any", async () => {
    // One pool each, as separate processes have; migrations first, as every process runs them at start.
    for (let i = 0; i < 4; i++) opened.push({ db: await openDatabase({ DATABASE_URL: database.url, DATA_DIR: "" }, log) });
    const queues = ["agent-a", "agent-b", "agent-c", "moderation", "imports", "chat-flags"];
    // pg-boss installs its schema under an advisory lock; what raced in compose's smoke test was the
    // queues each process then creates (a deadlock in create_queue failed three processes' start).
    for (const process of opened) process.jobs = await openJobQueue(process.db, log, { pollingIntervalSeconds: 1 });
    const results = await Promise.allSettled(
      opened.map(async (process) => {
        for (const name of queues) await process.jobs!.createQueue(name);
      }),
    );
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const names = (await opened[0]!.jobs!.getQueues()).map((q) => q.name);
    expect(names.filter((name) => queues.includes(name)).sort()).toEqual([...queues].sort());
  }, 120_000);
});
