/**
 * Switching a scheduled agent off stops its scheduled runs, including one its schedule had already
 * queued: pg-boss's cron queues a run in two steps (a send-it job, then the agent's job) up to a minute
 * after the cron time, and unschedule() stops neither. Seen in bench:agents (2026-12-02d): taita ran
 * while its AgentSetting said enabled = false. Here a job is put in the agent's queue exactly as the
 * cron's send-it puts it (the schedule's data, no options), before and after the switch.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../lib/db/database.ts";
import { openJobQueue, type JobQueue } from "../lib/jobs.ts";
import { createLogger } from "../lib/logger.ts";
import { openPubSub, type PubSub } from "../lib/pubsub.ts";
import { AgentsService } from "../subgraphs/agents/agents.service.ts";
import { AgentEvents } from "../subgraphs/agents/events.ts";
import { defineAgent } from "../subgraphs/agents/runtime/contract.ts";
import { AgentRunner, queueName, SCHEDULED_GOAL, type JobData } from "../subgraphs/agents/runtime/runner.ts";
import { createTestDatabase, unavailable, type TestDatabase } from "./utils/databases.ts";

const log = createLogger({ LOG_LEVEL: "silent" });
const NAME = "test-ticker";
const QUEUE = queueName(NAME);

describe.skipIf(!!unavailable)("scheduled runs of an agent switched off", () => {
  const runs: string[] = [];
  const ticker = defineAgent({
    name: NAME,
    description: "Counts its runs (tests).",
    input: z.object({}),
    // Never due while the test runs: the jobs below stand for the cron's.
    schedule: "0 0 1 1 *",
    retries: 0,
    async run(task) {
      runs.push(task.id);
      return { status: "success", output: { goal: task.goal } };
    },
    health: async () => ({ ok: true }),
  });
  const registry = new Map([[NAME, ticker]]);
  let dataDir: string | undefined;
  let testDb: TestDatabase;
  let db: Database;
  let boss: JobQueue;
  let pubsub: PubSub;
  let service: AgentsService;
  let runner: AgentRunner;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dataDir = testDb.url ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "piata-schedules-"));
    db = await openDatabase({ DATABASE_URL: testDb.url, DATA_DIR: dataDir ?? os.tmpdir() }, log);
    boss = await openJobQueue(db, log, { pollingIntervalSeconds: 0.5 });
    pubsub = await openPubSub(undefined, log);
    const events = new AgentEvents(pubsub, log);
    service = new AgentsService(db.prisma, boss, registry, events, 1);
    await service.start();
    runner = new AgentRunner(boss, db, registry, events, log, { pollingIntervalSeconds: 0.5, leaseMarginSeconds: 1 });
    await runner.start();
  });
  afterAll(async () => {
    await runner?.stop();
    await boss?.stop({ graceful: false, wait: true });
    await pubsub?.close();
    await db?.close();
    await testDb?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The job pg-boss's cron sends for the schedule (AgentsService.applySchedule's data), or an admin's. */
  const queued = async (data: JobData = { goal: SCHEDULED_GOAL, input: {} }) => (await boss.send(QUEUE, data))!;
  const completed = async (id: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const job = await boss.getJobById(QUEUE, id);
      if (job?.state === "completed" || Date.now() > deadline) return job?.state;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const scheduleRows = async () => (await db.executeSql(`SELECT name FROM pgboss.schedule WHERE name = $1`, [QUEUE])).rows.length;
  const runRow = async (id: string) => (await db.executeSql(`SELECT status::text AS status, goal FROM "AgentRun" WHERE id = $1::uuid`, [id])).rows[0];

  it("runs a scheduled job while the agent is on", async () => {
    expect(await scheduleRows()).toBe(1);
    const id = await queued();
    expect(await completed(id)).toBe("completed");
    expect(runs).toEqual([id]);
    expect(await runRow(id)).toEqual({ status: "SUCCEEDED", goal: SCHEDULED_GOAL });
  });

  it("does not run one its schedule queued before setAgentEnabled(false)", async () => {
    const before = runs.length;
    const id = await queued();
    await service.setEnabled(NAME, false);
    expect(await scheduleRows()).toBe(0);
    const after = await queued();
    expect(await completed(id)).toBe("completed");
    expect(await completed(after)).toBe("completed");
    expect(runs.length).toBe(before);
    expect(await runRow(id)).toBeUndefined();
    expect(await runRow(after)).toBeUndefined();
  });

  it("does not run one after setAgentSchedule(null), and runs an admin's run of it", async () => {
    await service.setEnabled(NAME, true);
    expect(await scheduleRows()).toBe(1);
    await service.setSchedule(NAME, null);
    expect(await scheduleRows()).toBe(0);
    const before = runs.length;
    const scheduled = await queued();
    expect(await completed(scheduled)).toBe("completed");
    expect(runs.length).toBe(before);
    expect(await runRow(scheduled)).toBeUndefined();

    // Asked for by someone (an admin's runAgent, here with the same goal): it runs.
    const asked = await queued({ goal: SCHEDULED_GOAL, input: {}, requestedBy: "00000000-0000-4000-8000-000000000001" });
    expect(await completed(asked)).toBe("completed");
    expect(runs.at(-1)).toBe(asked);
  });

  it("runs scheduled jobs again once the schedule is back", async () => {
    await service.setSchedule(NAME, "0 0 1 1 *");
    expect(await scheduleRows()).toBe(1);
    const id = await queued();
    expect(await completed(id)).toBe("completed");
    expect(runs.at(-1)).toBe(id);
  });
});
