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
  /**
   * How often pg-boss's maintenance runs (JOB_QUEUE_MAINTENANCE_INTERVAL_SECONDS, default 30): it
   * expires the leases of dead workers' jobs, so a dead worker's job is retried within this of its
   * lease's end. Once per interval for the whole database, whichever process comes first.
   */
  maintenanceIntervalSeconds?: number;
}

export async function openJobQueue(db: Database, log: Logger, options: JobQueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => db.executeSql(text, values) },
    schema: "pgboss",
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
    monitorStateIntervalSeconds: 60,
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 7,
  });
  boss.on("error", (error: Error) => log.error({ err: error }, "job queue"));
  await boss.start();
  log.debug(options, "job queue started");
  return boss;
}
