/**
 * The embedded database as a user of `npm start` meets it: created with demo data on first start,
 * kept across restarts and crashes, and protected against a second process.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./utils/client.ts";
import { carListingInput } from "./utils/fixtures.ts";
import { freePort, spawnServer, waitUntilReady, type ServerProcess } from "./utils/processes.ts";

// Runs in the PGlite project only (vitest.config.ts): a PostgreSQL server keeps its own data.
describe("the embedded database across restarts", () => {
  let dataDir: string;
  let port: number;
  let server: ServerProcess | undefined;
  const url = () => `http://127.0.0.1:${port}/graphql`;

  async function start(): Promise<ServerProcess> {
    server = spawnServer("gateway/index.ts", [], { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir });
    await waitUntilReady(server, `http://127.0.0.1:${port}/readyz`);
    return server;
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-persist-"));
    port = await freePort();
    await start();
  }, 300_000);
  afterAll(async () => {
    server?.child.kill("SIGKILL");
    await server?.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("loads the Romanian demo data on first start, with the admin from the README", async () => {
    const r = await graphql(url(), `{ listings(first: 1) { totalCount } counties { code } }`);
    expect(r.data.listings.totalCount).toBeGreaterThanOrEqual(1500);
    const admin = await graphql(url(), `mutation { signIn(email: "admin@piata.ai", password: "Admin-Piata-2026!") { user { role } } }`);
    expect(admin.errors).toBeUndefined();
    expect(admin.data.signIn.user.role).toBe("ADMIN");
  });

  it("spreads the demo listings over every county and every top-level category", async () => {
    const { data } = await graphql(url(), `{ counties { code } categories { id } }`);
    const totals = async (filter: object) =>
      (await graphql(url(), `query ($f: ListingFilter) { listings(filter: $f, first: 0) { totalCount } }`, { f: filter })).data.listings.totalCount;
    for (const { code } of data.counties) expect(await totals({ county: code }), code).toBeGreaterThan(0);
    for (const { id } of data.categories) expect(await totals({ categoryId: id }), id).toBeGreaterThan(0);
  });

  it("refuses a second process on the same data directory with a clear message", async () => {
    const second = spawnServer("gateway/index.ts", [], { PORT: String(await freePort()), DATA_DIR: dataDir });
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toMatch(/already in use by process \d+/);
  });

  it("keeps a listing created just before a SIGKILL, and after a graceful SIGTERM", async () => {
    const signIn = await graphql(url(), `mutation { signIn(email: "admin@piata.ai", password: "Admin-Piata-2026!") { accessToken } }`);
    const token = signIn.data.signIn.accessToken;
    const created = await graphql(url(), `mutation ($i: CreateListingInput!) { createListing(input: $i) { id } }`, { i: carListingInput() }, { token });
    const id = created.data.createListing.id;

    server!.child.kill("SIGKILL");
    await server!.exited;
    await start();
    const afterCrash = await graphql(url(), `query ($id: ID!) { listing(id: $id) { id title } }`, { id }, { token: (await graphql(url(), `mutation { signIn(email: "admin@piata.ai", password: "Admin-Piata-2026!") { accessToken } }`)).data.signIn.accessToken });
    expect(afterCrash.data.listing).toEqual({ id, title: carListingInput().title });

    server!.child.kill("SIGTERM");
    expect(await server!.exited).toBe(0);
    await start();
    const total = await graphql(url(), `{ listings(first: 1) { totalCount } }`);
    expect(total.data.listings.totalCount).toBeGreaterThanOrEqual(1500);
  }, 300_000);
});

describe("the embedded database's first initialisation", () => {
  it("leaves no half-made database when killed mid-way, and the next start completes it", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-init-"));
    const port = await freePort();
    const first = spawnServer("gateway/index.ts", [], { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir });
    // Wait until initialisation is under way (its temporary directory exists), then kill it hard.
    const deadline = Date.now() + 60_000;
    while (!fs.readdirSync(dataDir).some((entry) => entry.startsWith("pgdata.init-")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill("SIGKILL");
    await first.exited;
    expect(fs.existsSync(path.join(dataDir, "pgdata"))).toBe(false);

    const second = spawnServer("gateway/index.ts", [], { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir });
    try {
      await waitUntilReady(second, `http://127.0.0.1:${port}/readyz`);
      const r = await graphql(`http://127.0.0.1:${port}/graphql`, `{ listings(first: 1) { totalCount } }`);
      expect(r.data.listings.totalCount).toBeGreaterThanOrEqual(1500);
      expect(fs.readdirSync(dataDir).filter((entry) => entry.startsWith("pgdata"))).toEqual(["pgdata"]);
    } finally {
      second.child.kill("SIGKILL");
      await second.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
