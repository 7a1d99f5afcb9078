// Test agents (AGENTS_EXTRA_DIR): each behaviour the runtime must handle, on demand.
import { z } from "zod";
import { defineAgent } from "../../subgraphs/agents/runtime/contract.ts";

/** Echoes its input after two progress lines; `fail: true` answers an error result. */
export const agent = defineAgent({
  name: "test-echo",
  description: "Echoes its input (tests).",
  input: z.object({ text: z.string().min(1).max(100), fail: z.boolean().default(false) }),
  retries: 0,
  async run(task, ctx) {
    await ctx.progress("read the input");
    await ctx.progress(`echoing ${task.input.text.length} characters`);
    if (task.input.fail) return { status: "error", output: { reason: "asked to fail" } };
    return { status: "success", output: { echo: task.input.text, goal: task.goal }, metadata: { taskId: task.id } };
  },
  health: async () => ({ ok: true }),
});
