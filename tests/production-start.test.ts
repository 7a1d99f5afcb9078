/**
 * Production runs compiled JavaScript: `npm run build` then `npm run start:prod` with plain node (no
 * TypeScript compiled at run time), and a signal sent to npm reaches the server however it was
 * started, so `npm start &` … `kill $!` stops the API and frees its port.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./utils/client.ts";
import { freePort, spawnCommand, waitUntilReady, type ServerProcess } from "./utils/processes.ts";

const root = path.resolve(import.meta.dirname, "..");

/** `npm run <script>` as a user would start it. */
const npmRun = (script: string, env: Record<string, string>): ServerProcess => spawnCommand("npm", ["run", "--silent", script], { DEMO_DATA: "false", ...env });

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

// Runs in the PGlite project only (vitest.config.ts): it concerns the process, not the database.
describe("the production build and process signals", () => {
  const dataDirs: string[] = [];
  const started: ServerProcess[] = [];
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-prod-"));
    dataDirs.push(dir);
    return dir;
  };

  beforeAll(() => {
    const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, encoding: "utf8" });
    expect(build.status, build.stdout + build.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    for (const server of started) server.child.kill("SIGKILL");
    await Promise.all(started.map((s) => s.exited));
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves the API from dist/ with plain node, with no TypeScript loader in the process", async () => {
    expect(fs.existsSync(path.join(root, "dist/gateway/index.js"))).toBe(true);
    const port = await freePort();
    const server = npmRun("start:prod", { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir(), NODE_ENV: "production" });
    started.push(server);
    await waitUntilReady(server, `http://127.0.0.1:${port}/readyz`);
    const r = await graphql(`http://127.0.0.1:${port}/graphql`, `{ categories { slug } }`);
    expect(r.data.categories).toHaveLength(11);
    // `exec` in the npm script: npm's child is the server itself, started without tsx.
    const commandLine = fs.readFileSync(`/proc/${await serverPid(server)}/cmdline`, "utf8").split("\0").join(" ");
    expect(commandLine).toContain("dist/gateway/index.js");
    expect(commandLine).not.toContain("tsx");

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(await portIsFree(port)).toBe(true);
    expect(server.output()).not.toMatch(/failed/i);
  });

  it("stops `npm start` (development, tsx) when npm itself gets SIGTERM, freeing the port", async () => {
    const port = await freePort();
    const server = npmRun("start", { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir() });
    started.push(server);
    await waitUntilReady(server, `http://127.0.0.1:${port}/readyz`);
    server.child.kill("SIGTERM");
    await server.exited;
    const deadline = Date.now() + 15_000;
    while (!(await portIsFree(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await portIsFree(port)).toBe(true);
  });
});

/** The pid of npm's child (the server): npm runs the script's command as its only child. */
async function serverPid(server: ServerProcess): Promise<number> {
  const children = fs.readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/children`, "utf8").trim().split(/\s+/);
  expect(children).toHaveLength(1);
  return Number(children[0]);
}
