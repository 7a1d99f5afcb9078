/**
 * The API's own record of what it serves (lib/observability), through the gateway: named and anonymous
 * operations with their counts, p95 and SQL statements, the statements they sent, merged into the
 * database by the recorder's flushes; documents that never ran are not recorded; taita's report lists
 * the recorded operations.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readOperations, readStatements } from "../lib/observability/store.ts";
import { signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const BROWSE = `query RecorderBrowse { listings(first: 5) { totalCount edges { node { id title } } } }`;
const ANONYMOUS = `{ categories { id slug children { id } } }`;

describeStack("the API's operation recorder", () => {
  let stack: Stack;
  let admin: TestUser;
  const since = new Date(Date.now() - 60_000);

  beforeAll(async () => {
    // The recorder measures executions; a response-cache hit executes nothing (tests/response-cache.test.ts).
    stack = await startStack({ OPERATION_RECORDER_FLUSH_SECONDS: "0.3", AGENT_POLLING_INTERVAL_SECONDS: "0.5", RESPONSE_CACHE_MAX_BYTES: "0" });
    admin = await signUpAdmin(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The recorded operations once `name` has at least `count` executions (the recorder flushes every 0.3 s). */
  const recorded = async (name: string, count: number) => {
    const until = Date.now() + 15_000;
    for (;;) {
      const operations = await readOperations(stack.app.db.prisma, since);
      const found = operations.find((o) => o.operation === name);
      if ((found && found.count >= count) || Date.now() > until) return { operations, found };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it("records each operation by name, or by its document's hash, with count, p95 and SQL statements", async () => {
    for (let i = 0; i < 6; i++) expect((await stack.request(BROWSE)).errors).toBeUndefined();
    for (let i = 0; i < 3; i++) expect((await stack.request(ANONYMOUS)).errors).toBeUndefined();
    // A document that does not validate never ran: not an operation.
    expect((await stack.request(`query RecorderBroken { nope }`)).errors).toBeDefined();

    // The anonymous document ran last: once its 3 are flushed, so are the browses before them (a flush
    // between two of its requests would otherwise show 1 of them, as seen under load).
    const hash = crypto.createHash("sha256").update(ANONYMOUS).digest("hex").slice(0, 16);
    await recorded(`anonymous:${hash}`, 3);
    const { operations, found: browse } = await recorded("RecorderBrowse", 6);
    expect(browse).toMatchObject({ operation: "RecorderBrowse", count: 6 });
    expect(browse!.p95Ms).toBeGreaterThan(0);
    expect(browse!.p95Ms).toBeLessThanOrEqual(browse!.maxMs * 1.01);
    expect(browse!.meanMs).toBeGreaterThan(0);
    // At least the page's statement each time (the count is cached for seconds), counted across the in-process subgraphs.
    expect(browse!.sqlStatements).toBeGreaterThanOrEqual(1);

    // An operation without a name is its document's SHA-256 (Apollo's queryHash), so the same document adds up.
    expect(operations.find((o) => o.operation === `anonymous:${hash}`)).toMatchObject({ count: 3 });
    expect(operations.map((o) => o.operation)).not.toContain("RecorderBroken");
    // Slowest first.
    expect(operations.map((o) => o.p95Ms)).toEqual([...operations.map((o) => o.p95Ms)].sort((a, b) => b - a));
  });

  it("records the SQL statements sent, with counts and times, but not its own", async () => {
    await recorded("RecorderBrowse", 6);
    const statements = await readStatements(stack.app.db.prisma, since, { limit: 500, orderBy: "total" });
    const listing = statements.filter((s) => /FROM "public"\."Listing"|FROM "Listing"/.test(s.query));
    expect(listing.length).toBeGreaterThan(0);
    expect(Math.max(...listing.map((s) => s.count))).toBeGreaterThanOrEqual(6);
    for (const s of statements) {
      expect(s.totalMs).toBeGreaterThanOrEqual(0);
      expect(s.maxMs).toBeGreaterThanOrEqual(s.meanMs * 0.999);
      expect(s.query).not.toMatch(/"Observed(Operation|Statement)"/);
      expect(s.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
    // The statements' texts carry placeholders, not the values sent with them.
    expect(statements.some((s) => s.query.includes("$1"))).toBe(true);
  });

  it("feeds taita: its report lists the slowest recorded operations", async () => {
    await recorded("RecorderBrowse", 6);
    const run = await stack.request(`mutation { runAgent(agent: "taita", goal: "operații", input: {}) { id } }`, {}, { token: admin.token });
    expect(run.errors).toBeUndefined();
    const id = run.data.runAgent.id as string;
    const until = Date.now() + 60_000;
    let current;
    do {
      await new Promise((resolve) => setTimeout(resolve, 300));
      current = (await stack.request(`query ($id: ID!) { agentRun(id: $id) { status output } }`, { id }, { token: admin.token })).data.agentRun;
    } while (!["SUCCEEDED", "FAILED", "CANCELLED"].includes(current.status) && Date.now() < until);
    expect(current.status).toBe("SUCCEEDED");
    const operations = current.output.operations as { operation: string; count: number; p95Ms: number; sqlStatements: number }[];
    expect(operations).toEqual(expect.arrayContaining([expect.objectContaining({ operation: "RecorderBrowse", count: expect.any(Number) })]));
    const browse = operations.find((o) => o.operation === "RecorderBrowse")!;
    expect(browse.count).toBeGreaterThanOrEqual(6);
    expect(browse.p95Ms).toBeGreaterThan(0);
    expect(browse.sqlStatements).toBeGreaterThanOrEqual(1);
    expect(current.output.notMeasured.map((n: { check: string }) => n.check)).not.toContain("operations");
  });
});
