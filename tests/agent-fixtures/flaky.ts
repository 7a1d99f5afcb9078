import { z } from "zod";
import { defineAgent } from "../../subgraphs/agents/runtime/contract.ts";

const attempts = new Map<string, number>();

/** Throws on its first `failures` attempts of a task, then succeeds: the queue must retry it. */
export const agent = defineAgent({
  name: "test-flaky",
  description: "Fails, then succeeds (tests).",
  input: z.object({ failures: z.number().int().min(0).max(5) }),
  retries: 3,
  async run(task) {
    const attempt = (attempts.get(task.id) ?? 0) + 1;
    attempts.set(task.id, attempt);
    if (attempt <= task.input.failures) throw new Error(`attempt ${attempt} failed on purpose`);
    return { status: "success", output: { attempt } };
  },
  health: async () => ({ ok: false, detail: "flaky by design" }),
});
