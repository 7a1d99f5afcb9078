/**
 * reniceThreads (lib/process.ts): every thread of the process runs at the nice value given, those already
 * running (V8's, libuv's, a worker thread) and one started after. In a child process: nice cannot be
 * lowered again without privileges, and vitest's own threads are not the subject.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MODULE = fileURLToPath(new URL("./process.ts", import.meta.url));

describe.runIf(process.platform === "linux")("reniceThreads", () => {
  it("sets the nice value of every thread, and threads started later inherit it", async () => {
    const script = `
      const fs = await import("node:fs");
      const { Worker } = await import("node:worker_threads");
      const { reniceThreads } = await import(${JSON.stringify(MODULE)});
      const idle = () => new Worker("setInterval(() => {}, 1000)", { eval: true });
      const before = idle();
      await new Promise((resolve) => before.once("online", resolve));
      reniceThreads(7);
      const after = idle();
      await new Promise((resolve) => after.once("online", resolve));
      // Field 19 of /proc/<pid>/task/<tid>/stat, counted after the command's closing parenthesis.
      const nices = fs.readdirSync("/proc/self/task").map((tid) => Number(fs.readFileSync("/proc/self/task/" + tid + "/stat", "utf8").split(") ")[1].split(" ")[16]));
      console.log(JSON.stringify(nices));
      process.exit(0);
    `;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 30_000 }, (error, out) => (error ? reject(error) : resolve(out))),
    );
    const nices = JSON.parse(stdout.trim().split("\n").at(-1)!) as number[];
    expect(nices.length).toBeGreaterThan(2);
    expect(nices.every((nice) => nice === 7)).toBe(true);
  }, 60_000);
});
