import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { defineAgent } from "../../subgraphs/agents/runtime/contract.ts";

/** Sleeps `ms`, with an attempt to spare: for a worker killed mid-run. */
export const agent = defineAgent({
  name: "test-slow",
  description: "Sleeps, retried once (tests).",
  input: z.object({ ms: z.number().int().min(0).max(60_000) }),
  timeoutSeconds: 6,
  retries: 1,
  async run(task, ctx) {
    await sleep(task.input.ms, undefined, { signal: ctx.signal });
    return { status: "success", output: { slept: task.input.ms } };
  },
  health: async () => ({ ok: true }),
});
