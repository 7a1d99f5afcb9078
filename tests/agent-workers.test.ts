/**
 * Agent workers as their own processes (`npm run start:worker`, distributed mode): they work the runs
 * the agents subgraph queues, and a worker killed mid-run loses its lease, so another one completes
 * the run — once.
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
    const worker = spawnServer("subgraphs/agents/worker.ts", [], { ...deployment.env, LOG_LEVEL: "info" });
    workers.push(worker);
    const deadline = Date.now() + 60_000;
    while (!worker.output().includes("agent worker ready")) {
      if (Date.now() > deadline || worker.child.exitCode !== null) throw new Error(`worker not ready:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
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
    deployment = await startDeployment({ env: { AGENT_WORKERS: "off", AGENTS_EXTRA_DIR: FIXTURES, AGENT_POLLING_INTERVAL_SECONDS: "0.5" } });
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

  it("completes a run once when its worker is killed mid-run: the lease runs out and another worker takes it", async () => {
    const first = workers[0]!;
    const { id } = (await graphql(url, RUN, { agent: "test-slow", input: { ms: 3_000 } }, { token })).data.runAgent;
    expect(await until(id, (r) => r.status === "RUNNING", 20_000)).toMatchObject({ status: "RUNNING", attempts: 1 });
    first.child.kill("SIGKILL");
    await first.exited;
    await startWorker();
    // The lease (the agent's 6 s timeout + 30 s) and pg-boss's maintenance (every 30 s) decide when.
    const done = await until(id, (r) => r.status !== "RUNNING" && r.status !== "QUEUED", 110_000);
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 2, output: { slept: 3_000 } });
  }, 150_000);
});

