import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Brain, BrainStep } from "./brain.js";

const GLOB = /[*?[\]{}]/;

/** How long the scripted brain takes: `delayMs`, or with `delayMaxMs`, one draw per task and attempt. */
export interface ScriptedDelay {
  delayMs?: number | undefined;
  delayMaxMs?: number | undefined;
  seed?: number | undefined;
}

/**
 * The delay of one task: a uniform draw in [delayMs, delayMaxMs] seeded by (seed, task, attempt), so a
 * benchmark can compute the same durations for its ideal schedule.
 */
export function scriptedDelayMs(delay: ScriptedDelay, taskId: string, attempt = 1): number {
  const min = delay.delayMs ?? 0;
  const max = delay.delayMaxMs ?? min;
  if (max <= min) return min;
  const digest = createHash("sha256")
    .update(`${delay.seed ?? 0}:${taskId}:${attempt}`)
    .digest();
  return Math.round(min + (max - min) * (digest.readUInt32BE(0) / 2 ** 32));
}

/**
 * A brain that waits its delay ({@link scriptedDelayMs}), writes the task's first literal expected path (if it has one) through the
 * tool set, and finishes; the orchestration benchmark's stand-in for work, so proposals carry real commits.
 */
export function createScriptedBrain(options: ScriptedDelay = {}): Brain {
  return {
    name: "scripted",
    async *run(context): AsyncGenerator<BrainStep, void, undefined> {
      const { task, attempt } = context.task;
      const delayMs = scriptedDelayMs(options, task.taskId, attempt);
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: context.signal });
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
