import { setTimeout as sleep } from "node:timers/promises";
import type { Brain, BrainStep } from "./brain.js";

const GLOB = /[*?[\]{}]/;

/**
 * A brain that waits `delayMs`, writes the task's first literal expected path (if it has one) through the
 * tool set, and finishes; the orchestration benchmark's stand-in for work, so proposals carry real commits.
 */
export function createScriptedBrain(options: { delayMs?: number } = {}): Brain {
  const delayMs = options.delayMs ?? 0;
  return {
    name: "scripted",
    async *run(context): AsyncGenerator<BrainStep, void, undefined> {
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: context.signal });
      const { task, attempt } = context.task;
      const path = task.expectedPaths.find((p) => !GLOB.test(p));
      if (!path) {
        yield {
          kind: "summary",
          text: `No changes needed: scripted stand-in for ${task.title}, which names no literal path to write`,
        };
        return;
      }
      const input = { path, content: `scripted: ${task.taskId} attempt ${attempt}\n` };
      yield { kind: "tool_call", id: "w1", tool: "write_file", input };
      const result = await context.tools.call("write_file", input);
      yield { kind: "tool_result", id: "w1", tool: "write_file", ok: result.ok, output: result.output };
      yield {
        kind: "summary",
        text: `scripted: ${task.title} (${result.ok ? "wrote" : "could not write"} ${path})`,
      };
    },
  };
}
