import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { defineAgent } from "../../subgraphs/agents/runtime/contract.ts";

/**
 * For a worker killed mid-run, with a short lease (a 5 s timeout plus the tests' margin): the first
 * attempt waits for its timeout, long enough to be killed in; a later one answers at once with the
 * process that ran it.
 */
export const agent = defineAgent({
  name: "test-lease",
  description: "Holds its first attempt, then answers (tests).",
  input: z.object({}),
  timeoutSeconds: 5,
  retries: 1,
  async run(task, ctx) {
    const { attempts } = await ctx.db.prisma.agentRun.findUniqueOrThrow({ where: { id: task.id }, select: { attempts: true } });
    if (attempts === 1) await sleep(60_000, undefined, { signal: ctx.signal });
    return { status: "success", output: { attempt: attempts, pid: process.pid } };
  },
  health: async () => ({ ok: true }),
});
