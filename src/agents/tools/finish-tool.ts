import { z } from "zod";
import { defineTool } from "./define-tool.js";

/** Ends the task with a summary of what was done. */
export const finishTool = defineTool({
  name: "finish",
  description: "Finish the task: give a short summary of what you changed and why.",
  input: z.object({ summary: z.string().min(1).max(20_000) }),
  async run(_context, input) {
    return { ok: true, output: "finished", finished: { summary: input.summary } };
  },
});
