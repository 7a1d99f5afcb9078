/**
 * Agent workers as their own processes (`npm run start:worker`, distributed mode): they work the runs
 * the agents subgraph queues, and a worker killed mid-run loses its lease, so another one completes
 * the run — once — or, with no attempt left, the run fails. Leases are short here (the test agents'
 * 5 s timeout plus a 1 s margin) and pg-boss expires them every second, so a kill plays out in seconds.
 */
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./utils/client.ts";
import { unavailable } from "./utils/databases.ts";
import { startDeployment, type Deployment } from "./utils/distributed.ts";
import { spawnServer, type ServerProcess } from "./utils/processes.ts";
import { redisUnavailableFor } from "./utils/redis.ts";

// Runs in the PostgreSQL project only (vitest.config.ts): the processes share a database server.
const redisUnavailable = await redisUnavailableFor("the agent worker tests");
const FIXTURES = fileURLToPath(new URL("./agent-fixtures/", import.meta.url));

const RUN = `mutation ($agent: String!, $input: JSON) { runAgent(agent: $agent, goal: "test", input: $input) { id } }`;
const RUN_BY_ID = `query ($id: ID!) { agentRun(id: $id) { status attempts output error } }`;

describe.skipIf(!!unavailable || !!redisUnavailable)("agent workers as processes", () => {
  let deployment: Deployment;
  let url: string;
  let token: string;
  const workers: ServerProcess[] = [];

  async function startWorker(): Promise<ServerProcess> {
    // PORT 0: the probes of each worker on a port of their own.
    const worker = spawnServer("subgraphs/agents/worker.ts", [], { ...deployment.env, PORT: "0", LOG_LEVEL: "info" });
    workers.push(worker);
    const deadline = Date.now() + 60_000;
    while (!worker.output().includes("agent worker ready")) {
      if (Date.now() > deadline || worker.child.exitCode !== null) throw new Error(`worker not ready:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Its probes answer: alive, and ready with the database.
    const port = Number(/"port":(\d+)/.exec(worker.output())?.[1]);
    for (const probe of ["/healthz", "/readyz"]) expect((await fetch(`http://127.0.0.1:${port}${probe}`)).status).toBe(200);
    return worker;
  }

  const runOf = async (id: string) => (await graphql(url, RUN_BY_ID, { id }, { token })).data.agentRun as { status: string; attempts: number; output: unknown; error: string | null };
  async function until(id: string, done: (run: Awaited<ReturnType<typeof runOf>>) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await runOf(id);
      if (done(run) || Date.now() > deadline) return run;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    deployment = await startDeployment({
      env: { AGENT_WORKERS: "off", AGENTS_EXTRA_DIR: FIXTURES, AGENT_POLLING_INTERVAL_SECONDS: "0.5", AGENT_LEASE_MARGIN_SECONDS: "1", JOB_QUEUE_MAINTENANCE_INTERVAL_SECONDS: "1" },
    });
    url = deployment.gateways[0]!;
    const email = `agents-${Math.random().toString(36).slice(2)}@example.ro`;
    const signUp = await graphql(url, `mutation ($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, { i: { email, password: "parola-sigura-1", displayName: "Admin Agenți" } });
    const db = new pg.Client({ connectionString: deployment.env.DATABASE_URL });
    await db.connect();
    await db.query(`UPDATE "User" SET role = 'ADMIN' WHERE id = $1`, [signUp.data.signUp.user.id]);
    await db.end();
    token = (await graphql(url, `mutation { signIn(email: "${email}", password: "parola-sigura-1") { accessToken } }`)).data.signIn.accessToken;
  }, 300_000);

  afterAll(async () => {
    for (const worker of workers) worker.child.kill("SIGKILL");
    await deployment?.stop();
  });

  it("leaves runs queued with no worker, and a worker process works them", async () => {
    const { id } = (await graphql(url, RUN, { agent: "test-echo", input: { text: "de la proces" } }, { token })).data.runAgent;
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await runOf(id)).status).toBe("QUEUED");
    await startWorker();
    expect(await until(id, (r) => r.status === "SUCCEEDED", 20_000)).toMatchObject({ status: "SUCCEEDED", attempts: 1, output: { echo: "de la proces" } });
  }, 60_000);

  it("kills a worker mid-run: another worker completes the run with an attempt left, once; the run with none fails", async () => {
    const first = workers[0]!;
    const retried = (await graphql(url, RUN, { agent: "test-lease", input: {} }, { token })).data.runAgent.id as string;
    const last = (await graphql(url, RUN, { agent: "test-lease-last", input: {} }, { token })).data.runAgent.id as string;
    for (const id of [retried, last]) expect(await until(id, (r) => r.status === "RUNNING", 20_000)).toMatchObject({ status: "RUNNING", attempts: 1 });
    first.child.kill("SIGKILL");
    await first.exited;
    const second = await startWorker();
    // The lease runs out 6 s after the start, pg-boss's maintenance expires it within a second, and
    // the job is retried 2-4 s later; the failed one is squared by the live worker's reconcile (15 s).
    const final = (r: { status: string }) => r.status !== "RUNNING" && r.status !== "QUEUED";
    const done = await until(retried, final, 30_000);
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 2, output: { attempt: 2, pid: second.child.pid } });
    const failed = await until(last, final, 30_000);
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1, error: "The worker running it stopped, and no attempt is left." });
    // Completed once: no later delivery runs it again.
    expect(await runOf(retried)).toEqual(done);
  }, 90_000);
});

