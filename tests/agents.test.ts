/**
 * The agent runtime through the gateway, with test agents (tests/agent-fixtures, AGENTS_EXTRA_DIR):
 * admin-only access, runs queued and watched live over graphql-ws, retries, timeouts, cancellation,
 * schedules and switches, input checked against the agent's schema.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { codes } from "./utils/client.ts";
import { signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { socketClient, subscribeTo } from "./utils/sockets.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const RUN = `mutation ($agent: String!, $goal: String!, $input: JSON) {
  runAgent(agent: $agent, goal: $goal, input: $input) { id agent goal status attempts }
}`;
const RUN_BY_ID = `query ($id: ID!) { agentRun(id: $id) { id status output metadata error progress attempts durationMs requestedBy { id } } }`;
const WATCH = `subscription ($id: ID) { agentRunUpdated(id: $id) { id status progress output error } }`;
const CANCEL = `mutation ($id: ID!) { cancelAgentRun(id: $id) { id status } }`;
const RETRY = `mutation ($id: ID!) { retryAgentRun(id: $id) { id status goal } }`;
const AGENTS = `{ agents { name description inputSchema schedule enabled health { ok detail } lastRun { id } runCounts { succeeded failed } p95DurationMs } }`;

describeStack("agents: the runtime through the gateway", () => {
  let stack: Stack;
  let admin: TestUser;
  let user: TestUser;
  const clients: ReturnType<typeof socketClient>[] = [];

  beforeAll(async () => {
    stack = await startStack({ AGENTS_EXTRA_DIR: fileURLToPath(new URL("./agent-fixtures/", import.meta.url)), AGENT_POLLING_INTERVAL_SECONDS: "0.5" });
    [admin, user] = await Promise.all([signUpAdmin(stack), signUp(stack, "Ion Utilizatorul")]);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await stack?.stop();
  });

  const as = (who: TestUser, query: string, variables: Record<string, unknown> = {}) => stack.request(query, variables, { token: who.token });
  const run = async (agent: string, input: unknown, goal = "test") => {
    const r = await as(admin, RUN, { agent, goal, input });
    expect(r.errors).toBeUndefined();
    return r.data.runAgent as { id: string; status: string };
  };
  const settled = async (id: string, timeoutMs = 20_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const r = await as(admin, RUN_BY_ID, { id });
      const current = r.data.agentRun;
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(current.status) || Date.now() > until) return current;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it("lets admins only see and run agents", async () => {
    for (const query of [AGENTS, `{ agentRuns { totalCount } }`]) {
      expect(codes(await as(user, query))).toEqual(["FORBIDDEN"]);
      expect(codes(await stack.request(query))).toEqual(["UNAUTHENTICATED"]);
    }
    expect(codes(await as(user, RUN, { agent: "test-echo", goal: "x", input: { text: "a" } }))).toEqual(["FORBIDDEN"]);
    const agents = (await as(admin, AGENTS)).data.agents as { name: string; inputSchema: { properties: object }; health: { ok: boolean } }[];
    expect(agents.map((a) => a.name)).toEqual(expect.arrayContaining(["test-echo", "test-flaky", "test-sleepy"]));
    expect(agents.find((a) => a.name === "test-echo")!.inputSchema.properties).toHaveProperty("text");
    expect(agents.find((a) => a.name === "test-flaky")!.health).toEqual({ ok: false, detail: "flaky by design" });
  });

  it("queues a run at once and streams it live: QUEUED, RUNNING, progress, SUCCEEDED with the output", async () => {
    const client = socketClient(stack.url, admin.token);
    clients.push(client);
    const all = subscribeTo(client, WATCH);
    await new Promise((r) => setTimeout(r, 150));
    const queued = await run("test-echo", { text: "bună ziua" }, "salută");
    expect(queued).toMatchObject({ status: "QUEUED", agent: "test-echo", goal: "salută", attempts: 0 });
    const statuses: string[] = [];
    let last;
    do {
      const event = await all.next(15_000);
      expect(event.errors).toBeUndefined();
      last = event.data!.agentRunUpdated;
      if (last.id === queued.id) statuses.push(last.status);
    } while (last.id !== queued.id || last.status !== "SUCCEEDED");
    expect(statuses[0]).toBe("QUEUED");
    expect(statuses).toContain("RUNNING");
    expect(last).toMatchObject({ output: { echo: "bună ziua", goal: "salută" }, progress: ["read the input", "echoing 9 characters"] });
    const stored = (await as(admin, RUN_BY_ID, { id: queued.id })).data.agentRun;
    expect(stored).toMatchObject({ status: "SUCCEEDED", attempts: 1, metadata: { taskId: queued.id }, requestedBy: { id: admin.id } });
    expect(stored.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("checks the input against the agent's schema, and the agent's name", async () => {
    const bad = await as(admin, RUN, { agent: "test-echo", goal: "x", input: { text: "" } });
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(bad.errors![0]!.extensions!.fields).toEqual([expect.objectContaining({ field: "input.text" })]);
    expect(codes(await as(admin, RUN, { agent: "nu-exista", goal: "x", input: {} }))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await as(admin, RUN, { agent: "test-echo", goal: "   ", input: { text: "a" } }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("retries a run that throws, with backoff, until it succeeds", async () => {
    const { id } = await run("test-flaky", { failures: 1 });
    expect(await settled(id, 30_000)).toMatchObject({ status: "SUCCEEDED", attempts: 2, output: { attempt: 2 } });
  });

  it("fails an error result without retrying, and a run that outlives its timeout", async () => {
    const error = await settled((await run("test-echo", { text: "x", fail: true })).id);
    expect(error).toMatchObject({ status: "FAILED", attempts: 1, output: { reason: "asked to fail" } });
    const slow = await settled((await run("test-sleepy", { ms: 10_000, deaf: true })).id);
    expect(slow).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(slow.error).toMatch(/Timed out/);
  });

  it("cancels a queued or a running run, and retries a cancelled one", async () => {
    const running = await run("test-wait", { ms: 300_000 });
    const until = Date.now() + 30_000;
    while ((await as(admin, RUN_BY_ID, { id: running.id })).data.agentRun.status !== "RUNNING" && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect((await as(admin, CANCEL, { id: running.id })).errors).toBeUndefined();
    expect(await settled(running.id)).toMatchObject({ status: "CANCELLED" });
    expect(codes(await as(admin, CANCEL, { id: running.id }))).toEqual(["CONFLICT"]);

    const again = await as(admin, RETRY, { id: running.id });
    expect(again.data.retryAgentRun).toMatchObject({ status: "QUEUED", goal: "test" });
    // Queued or already taken by a worker: either way it ends CANCELLED.
    expect(again.data.retryAgentRun.id).not.toBe(running.id);
    expect((await as(admin, CANCEL, { id: again.data.retryAgentRun.id })).errors).toBeUndefined();
    expect(await settled(again.data.retryAgentRun.id)).toMatchObject({ status: "CANCELLED" });
    expect(codes(await as(admin, CANCEL, { id: "00000000-0000-0000-0000-000000000000" }))).toEqual(["NOT_FOUND"]);
  });

  it("validates schedules, switches agents off and on, and lists runs by agent and status", async () => {
    const bad = await as(admin, `mutation { setAgentSchedule(agent: "test-echo", schedule: "every minute") { name } }`);
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    const set = await as(admin, `mutation { setAgentSchedule(agent: "test-echo", schedule: "*/10 * * * *") { name schedule } }`);
    expect(set.data.setAgentSchedule).toEqual({ name: "test-echo", schedule: "*/10 * * * *" });
    expect((await as(admin, `mutation { setAgentSchedule(agent: "test-echo", schedule: null) { schedule } }`)).data.setAgentSchedule.schedule).toBeNull();

    expect((await as(admin, `mutation { setAgentEnabled(agent: "test-echo", enabled: false) { enabled } }`)).data.setAgentEnabled.enabled).toBe(false);
    expect(codes(await as(admin, RUN, { agent: "test-echo", goal: "x", input: { text: "a" } }))).toEqual(["CONFLICT"]);
    await as(admin, `mutation { setAgentEnabled(agent: "test-echo", enabled: true) { enabled } }`);

    const listed = await as(admin, `{ agentRuns(filter: { agent: "test-echo", status: [SUCCEEDED] }) { totalCount edges { node { agent status } } } }`);
    expect(listed.data.agentRuns.totalCount).toBeGreaterThan(0);
    expect(listed.data.agentRuns.edges.every((e: { node: { agent: string; status: string } }) => e.node.agent === "test-echo" && e.node.status === "SUCCEEDED")).toBe(true);
    const echo = ((await as(admin, AGENTS)).data.agents as { name: string; runCounts: { succeeded: number; failed: number }; lastRun: unknown; p95DurationMs: number | null }[]).find((a) => a.name === "test-echo")!;
    expect(echo.runCounts).toMatchObject({ succeeded: 1, failed: 1 });
    expect(echo.lastRun).not.toBeNull();
    expect(echo.p95DurationMs).toBeGreaterThanOrEqual(0);
  });

  it("reports the database's health from taita's latest run", async () => {
    const { id } = await run("taita", {}, "verifică baza de date");
    const ours = await settled(id, 60_000);
    expect(ours).toMatchObject({ status: "SUCCEEDED" });
    const health = await as(admin, `{ databaseHealth { run { id agent status finishedAt } generatedAt findings { severity kind target recommendation } report } }`);
    expect(health.errors).toBeUndefined();
    // Ours, or a scheduled run (every 5 minutes) that finished after it.
    const latest = health.data.databaseHealth;
    expect(latest.run).toMatchObject({ agent: "taita", status: "SUCCEEDED" });
    const finishedAt = (await as(admin, `query ($id: ID!) { agentRun(id: $id) { finishedAt } }`, { id })).data.agentRun.finishedAt;
    expect(latest.run.id === id || latest.run.finishedAt >= finishedAt).toBe(true);
    expect(latest.generatedAt).toEqual(expect.any(String));
    expect(latest.report).toHaveProperty("tables");
    expect(Array.isArray(latest.findings)).toBe(true);
    expect(codes(await as(user, `{ databaseHealth { generatedAt } }`))).toEqual(["FORBIDDEN"]);
  });
});
