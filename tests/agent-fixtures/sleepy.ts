import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { defineAgent } from "../../subgraphs/agents/runtime/contract.ts";

/** Waits `ms` (ignoring cancellation on purpose when `deaf`): for timeouts and cancellation. */
export const agent = defineAgent({
  name: "test-sleepy",
  description: "Sleeps (tests).",
  input: z.object({ ms: z.number().int().min(0).max(60_000), deaf: z.boolean().default(false) }),
  timeoutSeconds: 6,
  retries: 0,
  async run(task, ctx) {
    await ctx.progress("going to sleep");
    await sleep(task.input.ms, undefined, task.input.deaf ? {} : { signal: ctx.signal });
    return { status: "success", output: { slept: task.input.ms } };
  },
  health: async () => ({ ok: true }),
});
