import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { defineAgent } from "../../subgraphs/agents/runtime/contract.ts";

/** test-lease with no attempt to spare: a worker killed mid-run leaves it nothing to retry. */
export const agent = defineAgent({
  name: "test-lease-last",
  description: "Holds its only attempt (tests).",
  input: z.object({}),
  timeoutSeconds: 5,
  retries: 0,
  async run(_task, ctx) {
    await sleep(60_000, undefined, { signal: ctx.signal });
    return { status: "success", output: { held: true } };
  },
  health: async () => ({ ok: true }),
});
