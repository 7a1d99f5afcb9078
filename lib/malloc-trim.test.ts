/**
 * releaseFreedMemory (lib/malloc-trim.ts) calls glibc's malloc_trim where it can be reached (Linux,
 * glibc, koffi installed) and does nothing elsewhere. In a child process: trimming vitest's own heap is
 * harmless, but the child also proves the module loads in plain node the way a server loads it.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MODULE = fileURLToPath(new URL("./malloc-trim.ts", import.meta.url));

function koffiInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve("koffi");
    return true;
  } catch {
    return false;
  }
}

const glibc = process.platform === "linux" && Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);

describe("releaseFreedMemory", () => {
  it("calls malloc_trim where glibc and koffi are there, each time, and is a no-op elsewhere", async () => {
    const script = `
      const { releaseFreedMemory } = await import(${JSON.stringify(MODULE)});
      const chunks = Array.from({ length: 2000 }, () => Buffer.allocUnsafeSlow(64 * 1024));
      chunks.length = 0;
      console.log(JSON.stringify([releaseFreedMemory(), releaseFreedMemory()]));
    `;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 30_000 }, (error, out) => (error ? reject(error) : resolve(out))),
    );
    const expected = glibc && koffiInstalled();
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual([expected, expected]);
  }, 60_000);
});
