/**
 * The durable job queue: pg-boss 10 (the last major that runs on Node 20) in the app's own database —
 * PGlite through Database.executeSql, or the PostgreSQL server — in its own schema "pgboss". Jobs
 * survive restarts; a job whose worker died is retried once its lease (expireInSeconds) runs out.
 */
import PgBoss from "pg-boss";
import type { Database } from "./db/database.ts";
import type { Logger } from "./logger.ts";

export type JobQueue = PgBoss;

export interface JobQueueOptions {
  /** How often an idle worker asks for jobs (pg-boss's minimum is 0.5 s). */
  pollingIntervalSeconds: number;
}

export async function openJobQueue(db: Database, log: Logger, options: JobQueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => db.executeSql(text, values) },
    schema: "pgboss",
    // Maintenance (expiring leases, archiving) every 30 s: a dead worker's run is retried within it.
    maintenanceIntervalSeconds: 30,
    monitorStateIntervalSeconds: 60,
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 7,
  });
  boss.on("error", (error: Error) => log.error({ err: error }, "job queue"));
  await boss.start();
  log.debug({ pollingIntervalSeconds: options.pollingIntervalSeconds }, "job queue started");
  return boss;
}
