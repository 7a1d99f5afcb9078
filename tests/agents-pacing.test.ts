/**
 * A paced agent starts only the runs its pacer granted (runtime/pacing.ts, runner.ts): the runner asks
 * before it fetches, fetches no more than granted, and gives back what the queue did not have. The
 * pacer here is a counter the test fills by hand, so the assertions are counts, not times: whenever
 * the runner waits for the pacer, the runs started equal the runs granted less those given back.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../lib/db/database.ts";
import { openJobQueue, type JobQueue } from "../lib/jobs.ts";
import { loadConfig } from "../lib/env.ts";
import { createLogger } from "../lib/logger.ts";
import { openPubSub, type PubSub } from "../lib/pubsub.ts";
import { AgentEvents } from "../subgraphs/agents/events.ts";
import { defineAgent } from "../subgraphs/agents/runtime/contract.ts";
import type { Pacer } from "../subgraphs/agents/runtime/pacing.ts";
import { AgentRunner, ensureQueue, queueName, runnerSettings } from "../subgraphs/agents/runtime/runner.ts";
import { createTestDatabase, unavailable, type TestDatabase } from "./utils/databases.ts";

const log = createLogger({ LOG_LEVEL: "silent" });
const NAME = "test-paced";
const QUEUE = queueName(NAME);
const SLOTS = 4;

/**
 * Grants what the test gave it; a take() with nothing to grant waits (the runner is then idle). At
 * every take() it notes the runs started less those granted and not given back: the runner takes
 * again only once every run it fetched has started, so each note must be 0.
 */
class CountingPacer implements Pacer {
  readonly batch = SLOTS;
  granted = 0;
  refunded = 0;
  readonly unbalanced: number[] = [];
  private tokens = 0;
  private pending?: { wanted: number; resolve: (runs: number) => void };

  get waiting(): boolean {
    return !!this.pending;
  }

  give(runs: number): void {
    this.tokens += runs;
    const pending = this.pending;
    if (pending && this.tokens > 0) {
      this.pending = undefined;
      pending.resolve(this.grant(pending.wanted));
    }
  }

  constructor(private readonly started: () => number) {}

  take(wanted: number, signal: AbortSignal): Promise<number> {
    this.unbalanced.push(this.started() - (this.granted - this.refunded));
    if (this.tokens > 0) return Promise.resolve(this.grant(wanted));
    return new Promise((resolve) => {
      this.pending = { wanted, resolve };
      signal.addEventListener("abort", () => resolve(0), { once: true });
    });
  }

  async refund(runs: number): Promise<void> {
    this.refunded += runs;
    this.tokens += runs;
  }

  private grant(wanted: number): number {
    const runs = Math.min(wanted, this.batch, this.tokens);
    this.tokens -= runs;
    this.granted += runs;
    return runs;
  }
}

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!!unavailable)("a paced agent's runs", () => {
  const started: string[] = [];
  const paced = defineAgent({
    name: NAME,
    description: "Counts the runs it starts (tests).",
    input: z.object({ n: z.number() }),
    retries: 0,
    concurrency: SLOTS,
    maxRunsPerSecond: 50,
    async run(task) {
      started.push(task.id);
      return { status: "success", output: { n: task.input.n } };
    },
    health: async () => ({ ok: true }),
  });
  const registry = new Map([[NAME, paced]]);
  const pacer = new CountingPacer(() => started.length);
  const rates: Record<string, number> = {};
  let dataDir: string | undefined;
  let testDb: TestDatabase;
  let db: Database;
  let boss: JobQueue;
  let pubsub: PubSub;
  let runner: AgentRunner;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dataDir = testDb.url ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "piata-pacing-"));
    db = await openDatabase({ DATABASE_URL: testDb.url, DATA_DIR: dataDir ?? os.tmpdir() }, log);
    boss = await openJobQueue(db, log, { pollingIntervalSeconds: 0.5 });
    pubsub = await openPubSub(undefined, log);
    await ensureQueue(boss, paced, 1);
    // 20 jobs waiting before the runner starts: it always finds more than it was granted, until the end.
    await boss.insert(Array.from({ length: 20 }, (_, n) => ({ name: QUEUE, data: { goal: `run ${n}`, input: { n } } })));
    // The rate as the environment gives it overrides the agent's own 50/s.
    const settings = runnerSettings({ ...loadConfig({ AGENT_MAX_RUNS_PER_SECOND: `${NAME}=7` }), AGENT_POLLING_INTERVAL_SECONDS: 0.5, AGENT_LEASE_MARGIN_SECONDS: 1 });
    runner = new AgentRunner(boss, db, registry, new AgentEvents(pubsub, log), log, {
      ...settings,
      pacer: (rate, agent) => {
        rates[agent] = rate;
        return pacer;
      },
    });
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

  it("asks the pacer with the configured rate, and starts nothing before it grants", async () => {
    expect(rates).toEqual({ [NAME]: 7 });
    await until("the runner waits for the pacer", () => pacer.waiting);
    expect(started).toEqual([]);
  });

  it("starts exactly the runs granted, window after window", async () => {
    for (const grant of [3, 1, 4]) {
      const before = pacer.granted;
      pacer.give(grant);
      await until(`the runner used a grant of ${grant} and waits again`, () => pacer.granted === before + grant && pacer.waiting);
      expect(started.length).toBe(pacer.granted - pacer.refunded);
    }
    expect(started.length).toBe(8);
    expect(pacer.unbalanced.length).toBeGreaterThan(3);
    expect(pacer.unbalanced.every((n) => n === 0)).toBe(true);
  });

  it("gives back what the queue did not have, and every job ran once", async () => {
    pacer.give(100);
    await until("every job started", () => started.length === 20);
    await until("the queue is found empty and the rest given back", () => pacer.refunded > 0);
    const takes = pacer.unbalanced.length;
    await until("a take after the refund", () => pacer.unbalanced.length > takes);
    expect(pacer.unbalanced.every((n) => n === 0)).toBe(true);
    expect(new Set(started).size).toBe(20);
    await until("every job completed", async () => {
      const { rows } = await db.executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [QUEUE]);
      return (rows[0] as { n: number }).n === 20;
    });
  });
});
