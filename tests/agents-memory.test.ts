/**
 * The agent worker's young generation held at semi-spaces of SEMI_SPACE_CAP_MB
 * (subgraphs/agents/runtime/lean-memory.ts): a process that loads the module as the worker does, then
 * allocates as a burst of runs would (objects alive across turns of the event loop, most dropped soon),
 * never has a new space larger than two semi-spaces of the cap; and the hold, removed, lets V8 grow it
 * again. Sizes only, no timings.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Not imported here: the module sets V8's flags in the process that loads it (the worker's, not vitest's).
const LEAN_MEMORY = fileURLToPath(new URL("../subgraphs/agents/runtime/lean-memory.ts", import.meta.url));

/** The largest new space (MB) a child process saw while allocating, with the hold kept or removed first. */
function largestNewSpace(keepHold: boolean): Promise<{ cap: number; largest: number }> {
  const script = `
    const v8 = await import("node:v8");
    const { releaseYoungGeneration, SEMI_SPACE_CAP_MB } = await import(${JSON.stringify(LEAN_MEMORY)});
    if (!${keepHold}) releaseYoungGeneration();
    const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
    const live = [];
    let largest = 0;
    for (let turn = 0; turn < 1500; turn++) {
      for (let i = 0; i < 2000; i++) live.push({ text: "listing " + turn + " " + i, words: [i, turn], row: { id: i } });
      if (live.length > 60000) live.splice(0, 30000);
      largest = Math.max(largest, newSpace());
      await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(JSON.stringify({ cap: SEMI_SPACE_CAP_MB, largest: largest / 1048576 }));
  `;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 60_000 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout.trim().split("\n").at(-1)!)),
    ),
  );
}

describe("the agent worker's young generation", () => {
  it("stays at two semi-spaces of the cap while held, and grows past it once released", async () => {
    const [held, released] = await Promise.all([largestNewSpace(true), largestNewSpace(false)]);
    expect(held.largest).toBeGreaterThan(0);
    expect(held.cap).toBe(8);
    expect(held.largest).toBeLessThanOrEqual(2 * held.cap);
    expect(released.largest).toBeGreaterThan(2 * held.cap);
  }, 90_000);
});
