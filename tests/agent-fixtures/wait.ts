import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { defineAgent } from "../../subgraphs/agents/runtime/contract.ts";

/** Waits `ms` unless cancelled, with a timeout far beyond any test: for cancelling a running run. */
export const agent = defineAgent({
  name: "test-wait",
  description: "Waits until cancelled (tests).",
  input: z.object({ ms: z.number().int().min(0).max(600_000) }),
  timeoutSeconds: 600,
  retries: 0,
  async run(task, ctx) {
    await ctx.progress("waiting");
    await sleep(task.input.ms, undefined, { signal: ctx.signal });
    return { status: "success", output: { waited: task.input.ms } };
  },
  health: async () => ({ ok: true }),
});
