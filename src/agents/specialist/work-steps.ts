import type { BrainStep } from "../brains/index.js";
import type { AttemptTrace } from "./attempt-outcome.js";
import type { WorkOutcome } from "./machine.js";

/** Tools whose success means a file in the worktree changed. */
const WRITE_TOOLS = new Set(["write_file", "apply_patch"]);
// Tools that change the worktree; a successful call is followed by a progress event (debounced).
const PROGRESS_TOOLS = new Set(["write_file", "apply_patch", "run_command"]);
/** The most of a step's text an `agent.step` event carries. */
export const STEP_TEXT_LIMIT = 4000;

/** A step as one line of text, for its `agent.step` event. */
export function stepText(step: BrainStep): string {
  return step.kind === "tool_call"
    ? `${step.tool} ${JSON.stringify(step.input)}`
    : step.kind === "tool_result"
      ? `${step.tool}: ${step.ok ? "ok" : "refused"} — ${step.output}`
      : step.text;
}

/** Adds a brain's step to the attempt's outcome (tokens, summary, writes) and trace (its first error). */
export function noteStep(step: BrainStep, outcome: WorkOutcome, trace: AttemptTrace): void {
  const usage = "usage" in step ? step.usage : undefined;
  if (usage) {
    outcome.inputTokens += usage.inputTokens;
    outcome.outputTokens += usage.outputTokens;
  }
  if (step.kind === "summary") outcome.summary = step.text;
  if (step.kind === "tool_result" && step.ok && WRITE_TOOLS.has(step.tool)) {
    outcome.wrote = [...(outcome.wrote ?? []), step.output.slice(0, 200)];
  }
  if (step.kind === "tool_result" && !step.ok && trace.firstError === undefined)
    trace.firstError = step.output
      .split("\n")
      .find((l) => l.trim())
      ?.slice(0, 500);
}

/** Whether the worktree may have changed with this step: a CLI agent writes without guild's tools, so any of its steps. */
export function mayHaveWritten(step: BrainStep, brainName: string): boolean {
  return (
    brainName.startsWith("cli") || (step.kind === "tool_result" && step.ok && PROGRESS_TOOLS.has(step.tool))
  );
}
