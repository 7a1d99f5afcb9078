/**
 * Holds on V8's young generation (lib/young-generation.ts), in child processes that allocate as a
 * server does under load (objects alive across turns of the event loop, most dropped soon): the
 * smallest hold in force bounds the new space, releasing it lets the next hold bound it, and with none
 * left V8 grows it past both. Sizes only, no timings.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { largestNewSpace } from "../tests/utils/young-generation.ts";

// Not imported here: the holds set V8's flags in the process that makes them (a child's, not vitest's).
const MODULE = fileURLToPath(new URL("./young-generation.ts", import.meta.url));

/**
 * The largest new space (MB) a child saw while allocating with these holds (semi-space MB) kept, and its
 * size when they were made; `then`: module code the child runs after making them.
 */
function withHolds(holds: number[], releaseFirst = 0, then = ""): Promise<{ atHold: number; largest: number }> {
  return largestNewSpace<{ atHold: number }>(`
    const atHold = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size / 1048576;
    const { capYoungGeneration } = await import(${JSON.stringify(MODULE)});
    const releases = ${JSON.stringify(holds)}.map((mb) => capYoungGeneration(mb));
    for (const release of releases.slice(0, ${releaseFirst})) release();
    ${then}
    return { atHold };
  `);
}

/**
 * Node 24's V8 (13.6) sizes the young generation in its own steps, which the growth factor does not bound
 * (CI, 2026-12-03: 4 → 11.75 MB under a hold of 0): there the holds do nothing, and a server starts as it
 * did before them. Node 20 and 22 (the image's) are where they hold.
 */
const HOLDS_APPLY = Number(process.versions.node.split(".")[0]) <= 22;

describe.runIf(HOLDS_APPLY)("holds on the young generation", () => {
  it("are bounded by the smallest hold in force, and lifted when all are released", async () => {
    // A hold of 0 keeps the young generation at its size when the hold is made (tsx's loading has
    // grown it past V8's first 1 MB by then): the factor is set then, not after a collection, so the
    // bound is strict (see the module's note on larger holds).
    const [both, widerOnly, none] = await Promise.all([withHolds([0, 8]), withHolds([0, 8], 1), withHolds([0, 8], 2)]);
    expect(both.atHold).toBeGreaterThan(0);
    expect(both.atHold).toBeLessThan(2 * 8);
    expect(both.largest).toBeLessThanOrEqual(both.atHold);
    expect(widerOnly.largest).toBeGreaterThan(widerOnly.atHold);
    expect(widerOnly.largest).toBeLessThanOrEqual(2 * 8);
    expect(none.largest).toBeGreaterThan(2 * 8);
  }, 90_000);

  it("hold after a worker thread starts (V8 resets the growth factor when it makes the worker's heap)", async () => {
    const worker = `
      const { Worker } = await import("node:worker_threads");
      const worker = new Worker("", { eval: true });
      await new Promise((resolve) => worker.once("online", resolve));
      await new Promise((resolve) => worker.once("exit", resolve));`;
    const held = await withHolds([0], 0, worker);
    expect(held.atHold).toBeGreaterThan(0);
    expect(held.largest).toBeLessThanOrEqual(held.atHold);
  }, 60_000);
});
