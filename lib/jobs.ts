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

/** PostgreSQL's deadlock_detected: the victim's transaction was rolled back whole. */
const DEADLOCK = "40P01";
const DEADLOCK_ATTEMPTS = 5;

/**
 * pg-boss sends each statement, or each transaction as one text, on its own: a deadlock victim changed
 * nothing and may run again. Processes starting together on one database deadlock in pg-boss's
 * create_queue (each inserts the queue row and adds a foreign key to the queue table), which failed the
 * start of every process but one (compose's subgraphs, GATEWAY_PROCESSES). Hand-written: one error
 * code, a few attempts, a short random pause so the processes stop colliding.
 */
async function retryDeadlocks<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= DEADLOCK_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
    }
  }
}

export async function openJobQueue(db: Database, log: Logger, options: JobQueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => retryDeadlocks(() => db.executeSql(text, values)) },
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
