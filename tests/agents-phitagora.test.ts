/**
 * phitagora through the gateway: statements the API sends (through its own Prisma client, so the
 * operation recorder observes them) filter a 20,000-row table on a column no index leads; an admin runs
 * phitagora with runAgent, and its output proposes that index with a lower plan cost while the
 * database's indexes stay exactly as they were.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { codes } from "./utils/client.ts";
import { signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const RUN = `mutation ($input: JSON) { runAgent(agent: "phitagora", goal: "indexuri lipsă", input: $input) { id status } }`;
const RUN_BY_ID = `query ($id: ID!) { agentRun(id: $id) { status output error progress } }`;
const SLOW = "SELECT id, note FROM phi_stack WHERE w = $1";
const INDEXES = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`;

describeStack("phitagora through the gateway", () => {
  let stack: Stack;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    stack = await startStack({ OPERATION_RECORDER_FLUSH_SECONDS: "0.3", AGENT_POLLING_INTERVAL_SECONDS: "0.5" });
    [admin, user] = await Promise.all([signUpAdmin(stack), signUp(stack, "Ion Utilizatorul")]);
    const prisma = stack.app.db.prisma;
    await prisma.$executeRawUnsafe("CREATE TABLE phi_stack (id int PRIMARY KEY, w int NOT NULL, note text)");
    await prisma.$executeRawUnsafe("INSERT INTO phi_stack SELECT g, g % 1000, 'row ' || g FROM generate_series(1, 20000) g");
    await prisma.$executeRawUnsafe("ANALYZE phi_stack");
    for (let i = 0; i < 10; i++) await prisma.$queryRawUnsafe(SLOW, i);
    // The recorder flushes every 0.3 s: wait until the statement is in its table.
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      const rows = await prisma.observedStatement.findMany({ where: { query: SLOW } });
      if (rows.reduce((sum, r) => sum + r.count, 0) >= 10) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const settled = async (id: string) => {
    const until = Date.now() + 90_000;
    for (;;) {
      const run = (await stack.request(RUN_BY_ID, { id }, { token: admin.token })).data.agentRun;
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(run.status) || Date.now() > until) return run;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  };

  it("is an admin's agent", async () => {
    expect(codes(await stack.request(RUN, { input: {} }, { token: user.token }))).toEqual(["FORBIDDEN"]);
    const agents = await stack.request(`{ agents { name inputSchema } }`, {}, { token: admin.token });
    const phitagora = agents.data.agents.find((a: { name: string }) => a.name === "phitagora");
    expect(Object.keys(phitagora.inputSchema.properties)).toEqual(expect.arrayContaining(["sinceHours", "statements", "minTableRows", "minCostReduction"]));
  });

  it("proposes the missing index with its measured cost, and changes no index", async () => {
    const before = await stack.app.db.prisma.$queryRawUnsafe(INDEXES);
    const queued = await stack.request(RUN, { input: { statements: 30 } }, { token: admin.token });
    expect(queued.errors).toBeUndefined();
    const run = await settled(queued.data.runAgent.id);
    expect(run.status).toBe("SUCCEEDED");
    expect(await stack.app.db.prisma.$queryRawUnsafe(INDEXES)).toEqual(before);

    const slow = run.output.statements.find((s: { query: string }) => s.query === SLOW);
    expect(slow).toMatchObject({ source: "api", calls: 10 });
    expect(slow.seqScans).toEqual([expect.objectContaining({ table: "public.phi_stack", filter: "(phi_stack.w = $1)" })]);
    const proposal = run.output.proposals.find((p: { table: string }) => p.table === "public.phi_stack");
    expect(proposal).toMatchObject({
      columns: ["w"],
      createIndex: 'CREATE INDEX CONCURRENTLY "phi_stack_w_idx" ON "public"."phi_stack" ("w");',
      reason: "filter",
      statements: [expect.objectContaining({ query: SLOW, source: "api" })],
    });
    expect(proposal.costAfter).toBeLessThan(proposal.costBefore);
    expect(proposal.reduction).toBeGreaterThanOrEqual(0.2);
    expect(run.progress.at(-1)).toMatch(/^done: \d+ index proposals/);
  });
});
