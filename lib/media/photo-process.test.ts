/**
 * The photo process seen from outside a real gateway process (node --import tsx gateway/index.ts, as
 * `npm start`, on PGlite): an upload is made in a child of the gateway at nice 19, and stopping the
 * gateway (SIGTERM) leaves no child behind.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { noisePng } from "../../tests/utils/noise-png.ts";
import { freePort, spawnServer, waitUntilReady, type ServerProcess } from "../../tests/utils/processes.ts";

/** The children of process `pid` (every thread's /proc/<pid>/task/<tid>/children). */
function children(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

describe.skipIf(process.platform !== "linux")("the gateway's photo process", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-photo-process-"));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("makes an upload in a child at nice 19, and SIGTERM to the gateway leaves no child", async () => {
    const port = await freePort();
    server = spawnServer("gateway/index.ts", [], {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DEMO_DATA: "false",
      MEDIA_SWEEP_INTERVAL_SECONDS: "0",
      AGENT_WORKERS: "off",
    });
    const base = `http://127.0.0.1:${port}`;
    await waitUntilReady(server, `${base}/readyz`);
    const gateway = server.child.pid!;
    const signUp = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }`,
        variables: { input: { email: `photo-process-${Date.now()}@example.ro`, password: "parola-sigura-123", displayName: "Foto Test" } },
      }),
    });
    const token = ((await signUp.json()) as { data: { signUp: { accessToken: string } } }).data.signUp.accessToken;
    const before = children(gateway);

    const form = new FormData();
    form.append("file", new Blob([noisePng(800, 600)], { type: "image/png" }), "photo.png");
    const upload = await fetch(`${base}/uploads`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
    expect(upload.status, server.output()).toBe(201);

    const photos = children(gateway).filter((pid) => !before.includes(pid));
    expect(photos).toHaveLength(1);
    const stat = fs.readFileSync(`/proc/${photos[0]}/stat`, "utf8");
    expect(Number(stat.split(") ")[1]!.split(" ")[16])).toBe(19); // field 19: nice

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(alive(photos[0]!)).toBe(false);
  }, 120_000);
});
