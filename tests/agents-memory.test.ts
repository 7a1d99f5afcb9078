/**
 * The agent worker's young generation held at semi-spaces of SEMI_SPACE_CAP_MB
 * (subgraphs/agents/runtime/lean-memory.ts): a process that loads the module as the worker does, then
 * allocates as a burst of runs would (objects alive across turns of the event loop, most dropped soon),
 * never has a new space larger than two semi-spaces of the cap; and the hold, removed, lets V8 grow it
 * again. Sizes only, no timings.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { largestNewSpace as largestIn } from "./utils/young-generation.ts";

// Not imported here: the module sets V8's flags in the process that loads it (the worker's, not vitest's).
const LEAN_MEMORY = fileURLToPath(new URL("../subgraphs/agents/runtime/lean-memory.ts", import.meta.url));

/** The largest new space (MB) a child process saw while allocating, with the hold kept or removed first. */
function largestNewSpace(keepHold: boolean): Promise<{ cap: number; largest: number }> {
  return largestIn<{ cap: number }>(`
    const { releaseYoungGeneration, SEMI_SPACE_CAP_MB } = await import(${JSON.stringify(LEAN_MEMORY)});
    if (!${keepHold}) releaseYoungGeneration();
    return { cap: SEMI_SPACE_CAP_MB };
  `);
}

describe("the agent worker's young generation", () => {
  it("stays at two semi-spaces of the cap while held, and grows past it once released", async () => {
    const [held, released] = await Promise.all([largestNewSpace(true), largestNewSpace(false)]);
    expect(held.largest).toBeGreaterThan(0);
    expect(held.cap).toBe(4);
    expect(held.largest).toBeLessThanOrEqual(2 * held.cap);
    expect(released.largest).toBeGreaterThan(2 * held.cap);
  }, 90_000);
});
