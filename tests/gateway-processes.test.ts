/**
 * GATEWAY_PROCESSES: several gateway processes on one port (lib/replicas.ts). Each connection goes to
 * one process, round robin, so consecutive fresh connections land on different processes: what one
 * process wrote or cached must never be served stale by another, /metrics must count all of them
 * whichever answers, a crashed process is replaced, and a signal to the primary stops them all.
 */
import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, unavailable, type TestDatabase } from "./utils/databases.ts";
import { carListingInput } from "./utils/fixtures.ts";
import { freePort, spawnServer, waitUntilReady, type ServerProcess } from "./utils/processes.ts";
import { REDIS_URL, redisUnavailableFor } from "./utils/redis.ts";
import { RELAXED_RATE_LIMITS, TEST_JWT_SECRET, WITHOUT_AGENT_FLOWS } from "./utils/stack.ts";

// Runs in the PostgreSQL project only (vitest.config.ts): the processes share a database server.
const redisUnavailable = await redisUnavailableFor("the gateway-processes tests");

/** One request on a connection of its own (no keep-alive), so the cluster picks a process for it. */
function freshRequest(url: string, body?: unknown, token?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, {
      method: payload ? "POST" : "GET",
      agent: false,
      headers: { ...(payload ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, text }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const { text } = await freshRequest(url, { query, variables }, token);
  const reply = JSON.parse(text) as { data?: any; errors?: unknown[] };
  expect(reply.errors).toBeUndefined();
  return reply.data;
}

const readyPids = (server: ServerProcess): number[] => [...server.output().matchAll(/API ready at .*, process (\d+)\)/g)].map((m) => Number(m[1]));

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!!unavailable || !!redisUnavailable)("GATEWAY_PROCESSES=2: one port, two gateway processes", () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let base: string;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    url = `${base}/graphql`;
    server = spawnServer("gateway/index.ts", [], {
      GATEWAY_PROCESSES: "2",
      DATABASE_URL: database.url!,
      REDIS_URL,
      JWT_SECRET: TEST_JWT_SECRET,
      HOST: "127.0.0.1",
      PORT: String(port),
      DEMO_DATA: "false",
      ...WITHOUT_AGENT_FLOWS,
      ...RELAXED_RATE_LIMITS,
    });
    await waitUntilReady(server, `${base}/readyz`);
    await until(() => readyPids(server).length === 2);
  }, 180_000);

  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill("SIGKILL");
      for (const pid of readyPids(server)) killQuietly(pid);
    }
    await database?.drop();
  });

  it("starts two processes besides the primary", () => {
    const pids = readyPids(server);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(server.child.pid);
    // Each runs with the replicas' young generation (gateway/index.ts), and the primary's own flags.
    for (const pid of pids) {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      expect(args).toContain("--max-semi-space-size=32");
      expect(args).toContain("tsx");
    }
  });

  it("never serves one process's cached listing after another process changed it", async () => {
    const signUp = await gql(url, `mutation { signUp(input: { email: "procese@example.ro", password: "parola-sigura-1", displayName: "Petra Procese" }) { accessToken } }`);
    const token = signUp.signUp.accessToken as string;
    const id = (await gql(url, `mutation ($i: CreateListingInput!) { createListing(input: $i) { id } }`, { i: carListingInput({ title: "Dacia Logan 2015, prima variantă" }) }, token)).createListing.id as string;
    await gql(url, `mutation ($id: ID!) { publishListing(id: $id) { id } }`, { id }, token);
    const read = `query ($id: ID!) { listing(id: $id) { title } }`;
    // Four fresh connections: both processes read (and keep) the listing.
    for (let i = 0; i < 4; i++) expect((await gql(url, read, { id })).listing.title).toBe("Dacia Logan 2015, prima variantă");

    await gql(url, `mutation ($id: ID!) { updateListing(id: $id, input: { title: "Dacia Logan 2015, titlu schimbat" }) { id } }`, { id }, token);
    for (let i = 0; i < 4; i++) expect((await gql(url, read, { id })).listing.title).toBe("Dacia Logan 2015, titlu schimbat");
  });

  it("answers /metrics with every process's requests, whichever process is asked", async () => {
    const count = async () => {
      const { status, text } = await freshRequest(`${base}/metrics`);
      expect(status).toBe(200);
      const lines = text.split("\n").filter((line) => line.startsWith('piata_graphql_requests_total{operation="ProcessesProbe"'));
      return lines.reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
    };
    expect(await count()).toBe(0);
    for (let i = 0; i < 6; i++) await gql(url, `query ProcessesProbe { categories { slug } }`);
    // Each scrape goes to the next process: both must report all six requests, not their own share.
    const seen = [await count(), await count(), await count(), await count()];
    expect(seen).toEqual([6, 6, 6, 6]);
  });

  it("replaces a process that dies, and keeps serving", async () => {
    const [victim] = readyPids(server);
    process.kill(victim!, "SIGKILL");
    await until(() => readyPids(server).length === 3);
    expect(new Set(readyPids(server)).size).toBe(3);
    for (let i = 0; i < 4; i++) expect((await gql(url, `{ categories { slug } }`)).categories.length).toBeGreaterThan(0);
  });

  it("stops every process on SIGTERM to the primary", async () => {
    const alive = readyPids(server).filter(isAlive);
    expect(alive).toHaveLength(2);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(alive.filter(isAlive)).toEqual([]);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number): void {
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}
