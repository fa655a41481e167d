import { setTimeout as sleep } from "node:timers/promises";
import type { Brain, BrainStep } from "./brain.js";

/** A brain that waits `delayMs`, changes nothing and finishes; the orchestration benchmark's stand-in for work. */
export function createScriptedBrain(options: { delayMs?: number } = {}): Brain {
  const delayMs = options.delayMs ?? 0;
  return {
    name: "scripted",
    async *run(context): AsyncGenerator<BrainStep, void, undefined> {
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: context.signal });
      yield { kind: "summary", text: `scripted: ${context.task.task.title} (no changes)` };
    },
  };
}
