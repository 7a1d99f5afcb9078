/**
 * manus's run on its own, against a local server (loopback allowed by the agent's policy option):
 * the item limits, the run's budget and cancellation. Its refusals and drafts through the whole API
 * are in tests/agents-manus.test.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentContext } from "../runtime/contract.ts";
import type { CategoryRow } from "./manus-catalog.ts";
import { createManusAgent, type ManusOutput } from "./manus.ts";

const ROWS: CategoryRow[] = [
  { id: 8, slug: "sport", name: "Sport", parentId: null, attributes: [] },
  { id: 801, slug: "biciclete", name: "Biciclete", parentId: 8, attributes: [] },
];
const bike = (i: number) => ({
  sku: `B-${i}`,
  title: `Bicicletă de oraș numărul ${i}, roți 28`,
  description: "Bicicletă de oraș în stare foarte bună, folosită un singur sezon, cu lumini și coș.",
  price: 1000 + i,
  currency: "RON",
  category: "Biciclete",
  city: "Sibiu",
  county: "SB",
});

let server: http.Server;
let base = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    if (url.pathname === "/feed") {
      const n = Number(url.searchParams.get("n"));
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Array.from({ length: n }, (_, i) => bike(i))));
    }
    // /hang: never answers.
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function context(signal = new AbortController().signal) {
  const progress: string[] = [];
  // The category table through the context's plain SQL (a worker's ctx.db.sql); Prisma is never asked.
  const sql = async (text: string) => {
    if (/^SELECT count\(\*\)::int AS count FROM "Category"$/.test(text)) return [{ count: ROWS.length }];
    if (/^SELECT id, slug, name, "parentId", attributes FROM "Category"$/.test(text)) return ROWS;
    throw new Error(`unexpected statement: ${text}`);
  };
  const prisma = new Proxy({}, { get: (_target, key) => { throw new Error(`Prisma used: ${String(key)}`); } });
  const ctx = {
    log: pino({ level: "silent" }),
    progress: async (line: string) => void progress.push(line),
    signal,
    db: { prisma, kind: "pglite", sql },
  } as unknown as AgentContext;
  return { ctx, progress };
}

const policy = () => ({ allowLoopback: true, allowedPorts: [Number(new URL(base).port)] });
const SELLER = "7d3f1c2a-9b8e-4f6d-a5c4-3b2a1f0e9d8c";

async function run(agent: ReturnType<typeof createManusAgent>, urls: string[], ctx: AgentContext) {
  const result = await agent.run({ id: crypto.randomUUID(), goal: "import", input: agent.input.parse({ sellerId: SELLER, urls }) }, ctx);
  return result.output as ManusOutput;
}

describe("manus run", () => {
  it("reads at most maxItemsPerUrl from a URL and maxItemsPerRun in all, and says so", async () => {
    const agent = createManusAgent({ policy, maxItemsPerUrl: 3, maxItemsPerRun: 5 });
    const { ctx, progress } = context();
    const output = await run(agent, [`${base}/feed?n=4`, `${base}/feed?n=4&again`, `${base}/feed?n=4`], ctx);
    expect(output.fetched).toBe(2); // the same URL twice is fetched once
    expect(output.drafts).toHaveLength(5);
    expect(output.unmapped.flatMap((u) => u.reasons.map((r) => r.reason))).toEqual(["TOO_MANY_ITEMS", "TOO_MANY_ITEMS", "TOO_MANY_ITEMS"]);
    expect(progress[0]).toBe("fetching 2 URLs, 4 hosts at once");
    expect(progress.at(-1)).toBe("done: 5 drafts, 2 unmapped, 0 URLs failed");
  });

  it("returns what it read when its budget runs out, the rest failed as RUN_DEADLINE", async () => {
    const agent = createManusAgent({ policy, budgetMs: 500 });
    const started = Date.now();
    const output = await run(agent, [`${base}/feed?n=1`, `${base}/hang`], context().ctx);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(output.drafts).toHaveLength(1);
    expect(output.failed).toEqual([{ url: `${base}/hang`, reason: "RUN_DEADLINE", message: `not fetched within the run's budget: ${base}/hang` }]);
  });

  it("stops when the run is cancelled", async () => {
    const agent = createManusAgent({ policy });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("cancelled by the test")), 200);
    const started = Date.now();
    await expect(run(agent, [`${base}/hang`], context(controller.signal).ctx)).rejects.toThrow("cancelled by the test");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("is healthy when there are categories to map to", async () => {
    const agent = createManusAgent();
    const { ctx } = context();
    expect(await agent.health(ctx)).toEqual({ ok: true });
  });
});
