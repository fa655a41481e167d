import type { EventObject } from "xstate";
import { statusOf } from "../../src/coordinator/goal/goal-status.js";
import type { GoalContext } from "../../src/coordinator/goal/goal-types.js";
import { GoalStatus } from "../../src/protocol/index.js";
import { valueName } from "./model-coverage.js";
import type { GoalSnapshot } from "./model-goal.js";

const MAX_ATTEMPTS = 3;
const FINAL = new Set(["done", "failed", "cancelled"]);

/** The status each top-level state must report (DESIGN.md: planning, running, merging, verifying, end states). */
const STATUS: Record<string, GoalStatus> = {
  planning: "planning",
  running: "running",
  settling: "running",
  merging: "merging",
  verifying: "verifying",
  done: "done",
  failed: "failed",
  cancelled: "cancelled",
};

/** How each end state may be entered: `[state left, event]`; `always` is an eventless transition, `*` any state. */
export const DOCUMENTED_ENDS: Record<string, [string, string][]> = {
  done: [["verifying", "xstate.done.actor.0.goal.verifying"]],
  failed: [
    ["planning", "xstate.error.actor.0.goal.planning"],
    ["running.dispatching", "xstate.error.actor.0.goal.running.dispatching"],
    ["settling", "always"],
    ["settling", "xstate.error.actor.0.goal.settling"],
    ["merging", "xstate.done.actor.0.goal.merging"],
    ["merging", "xstate.error.actor.0.goal.merging"],
    ["verifying", "xstate.done.actor.0.goal.verifying"],
    ["verifying", "xstate.error.actor.0.goal.verifying"],
  ],
  cancelled: [["*", "CANCEL"]],
};

const top = (s: GoalSnapshot) => valueName(s.value).split(".")[0] ?? "";

function isSubsequence(items: string[], of: string[]): boolean {
  let i = 0;
  for (const id of of) if (id === items[i]) i++;
  return i === items.length;
}

function taskViolations(prev: GoalContext, next: GoalContext): string[] {
  const out: string[] = [];
  for (const [id, t] of Object.entries(next.tasks)) {
    const before = prev.tasks[id];
    if ((t.status === "dispatched" || t.status === "proposed") && t.attempt < 1)
      out.push(`${id} ${t.status} with attempt ${t.attempt}`);
    if (t.status === "proposed" && before?.status !== "proposed" && before?.status !== "dispatched")
      out.push(`${id} proposed from ${before?.status}: only a dispatched attempt can propose`);
    if (before?.status === "proposed" && t.status === "dispatched")
      out.push(`${id} proposed went back to dispatched`);
    if (before && t.attempt < before.attempt) out.push(`${id} attempt fell ${before.attempt} → ${t.attempt}`);
    if (t.attempt > MAX_ATTEMPTS + t.revisions)
      out.push(`${id} at attempt ${t.attempt} with ${t.revisions} revisions`);
    if (t.status === "accepted") {
      const p = t.proposal;
      if (!p || p.taskId !== id || p.attempt !== t.attempt) out.push(`${id} accepted without its proposal`);
      if (before?.status === "accepted" && before.proposal !== p)
        out.push(`${id} accepted proposal replaced`);
    }
  }
  return out;
}

/**
 * What one step of the goal machine broke, as messages (empty when every invariant holds).
 * `left` names the state the final microstep left and the event that took it (for entries into end states).
 */
export function goalStepViolations(
  prev: GoalSnapshot,
  event: EventObject,
  next: GoalSnapshot,
  left?: { from: string; event: string },
): string[] {
  const out = taskViolations(prev.context, next.context);
  const ctx = next.context;
  const status = statusOf(next.value);
  if (!GoalStatus.safeParse(status).success || status !== STATUS[top(next)])
    out.push(`statusOf(${valueName(next.value)}) = ${status}`);
  if ((next.status === "done") !== FINAL.has(status))
    out.push(`machine status ${next.status} with ${status}`);
  if (!isSubsequence(ctx.merged, ctx.order)) out.push(`merged ${ctx.merged} not in plan order ${ctx.order}`);
  for (const id of ctx.merged)
    if (ctx.tasks[id]?.status !== "accepted") out.push(`merged ${id} is ${ctx.tasks[id]?.status}`);
  // A goal that ends early (cancelled, or a dispatch that failed) may leave tasks out with agents.
  const stillRunning = ["running", "cancelled", "failed"].includes(top(next));
  if (
    !stillRunning &&
    Object.values(ctx.tasks).some((t) => t.status === "dispatched" || t.status === "proposed")
  )
    out.push(`a task is still dispatched or in review in ${valueName(next.value)}`);
  if (["merging", "verifying"].includes(top(prev)) && !["running", "failed"].includes(top(next))) {
    if (JSON.stringify(prev.context.tasks) !== JSON.stringify(ctx.tasks))
      out.push("tasks changed after settling");
  }
  if (FINAL.has(top(next)) && !FINAL.has(top(prev))) {
    const allowed = DOCUMENTED_ENDS[top(next)] ?? [];
    const ok =
      left !== undefined &&
      allowed.some(([from, ev]) => (from === "*" || from === left.from) && ev === left.event);
    if (!ok) out.push(`entered ${top(next)} from ${left?.from} on ${left?.event}: not a documented end`);
    if (top(next) === "failed" && !ctx.reason) out.push("failed without a reason");
    if (top(next) === "cancelled" && ctx.reason !== (event as { reason?: string }).reason)
      out.push("cancelled without the CANCEL reason");
    if (top(next) === "done") {
      const accepted = ctx.order.filter((id) => ctx.tasks[id]?.status === "accepted");
      if (!ctx.verify?.passed) out.push("done without passing verification");
      if (JSON.stringify(accepted) !== JSON.stringify(ctx.merged)) out.push(`done but merged ${ctx.merged}`);
    }
  }
  return out;
}
