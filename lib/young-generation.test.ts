/**
 * Holds on V8's young generation (lib/young-generation.ts), in child processes that allocate as a
 * server does under load (objects alive across turns of the event loop, most dropped soon): the
 * smallest hold in force bounds the new space, releasing it lets the next hold bound it, and with none
 * left V8 grows it past both. Sizes only, no timings.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Not imported here: the holds set V8's flags in the process that makes them (a child's, not vitest's).
const MODULE = fileURLToPath(new URL("./young-generation.ts", import.meta.url));

/** The largest new space (MB) a child saw while allocating with these holds (semi-space MB) kept. */
function largestNewSpace(holds: number[], releaseFirst = 0): Promise<number> {
  const script = `
    const v8 = await import("node:v8");
    const { capYoungGeneration } = await import(${JSON.stringify(MODULE)});
    const releases = ${JSON.stringify(holds)}.map((mb) => capYoungGeneration(mb));
    for (const release of releases.slice(0, ${releaseFirst})) release();
    const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
    const live = [];
    let largest = 0;
    for (let turn = 0; turn < 1500; turn++) {
      for (let i = 0; i < 2000; i++) live.push({ text: "listing " + turn + " " + i, words: [i, turn], row: { id: i } });
      if (live.length > 60000) live.splice(0, 30000);
      largest = Math.max(largest, newSpace());
      await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(JSON.stringify({ largest: largest / 1048576 }));
  `;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 60_000 }, (error, stdout) =>
      error ? reject(error) : resolve((JSON.parse(stdout.trim().split("\n").at(-1)!) as { largest: number }).largest),
    ),
  );
}

describe("holds on the young generation", () => {
  it("are bounded by the smallest hold in force, and lifted when all are released", async () => {
    const [both, widerOnly, none] = await Promise.all([
      largestNewSpace([2, 8]),
      largestNewSpace([2, 8], 1),
      largestNewSpace([2, 8], 2),
    ]);
    expect(both).toBeGreaterThan(0);
    expect(both).toBeLessThanOrEqual(2 * 2);
    expect(widerOnly).toBeGreaterThan(2 * 2);
    expect(widerOnly).toBeLessThanOrEqual(2 * 8);
    expect(none).toBeGreaterThan(2 * 8);
  }, 90_000);
});
