import type { SnapshotFrom } from "xstate";
import { nextDecisionId } from "../../src/coordinator/goal/goal-decisions.js";
import type { DispatchOutcome, GoalEvent, goalMachine } from "../../src/coordinator/goal/goal-machine.js";
import { blockedTasks, readyTasks } from "../../src/coordinator/goal/goal-tasks.js";
import type {
  Decision,
  GoalContext,
  MergeOutcome,
  SettleOutcome,
  TaskRecord,
  VerifyResult,
} from "../../src/coordinator/goal/goal-types.js";
import type { Proposal, TaskSpec } from "../../src/protocol/index.js";

export type GoalSnapshot = SnapshotFrom<typeof goalMachine>;
/** External events plus the done/error events of the machine's invoked effects. */
export type GoalModelEvent =
  | GoalEvent
  | { type: `xstate.done.actor.${string}`; output: unknown }
  | { type: `xstate.error.actor.${string}`; error: unknown };

export const BASE = "a".repeat(40);

/** Invoke ids of the goal machine, as xstate names them (`<index>.<state node id>`). */
export const INVOKE = {
  plan: "0.goal.planning",
  dispatch: "0.goal.running.dispatching",
  settle: "0.goal.settling",
  merge: "0.goal.merging",
  verify: "0.goal.verifying",
} as const;

function spec(taskId: string, role: string, dependsOn: string[] = []): TaskSpec {
  return { taskId, role, title: taskId, instructions: "", expectedPaths: [`${role}/${taskId}`], dependsOn };
}

/** The model's plan: a chain (`b` after `a`) and an independent task, so dependencies and blocking both occur. */
export const MODEL_PLAN: TaskSpec[] = [spec("a", "backend"), spec("b", "tests", ["a"])];
/**
 * The model's plan for dispatch windows: one agent per role, and an independent tests task that competes
 * with `b` for the tests agent, so a slot kept for `b` while `a` is in review is exercised.
 */
export const WINDOWED_PLAN: TaskSpec[] = [...MODEL_PLAN, spec("c", "tests")];
export const WINDOWS = { backend: 1, tests: 1, frontend: 1 };

/** A change request to an owner that review may add to the plan when it accepts `a`. */
export const CHANGE_REQUEST: TaskSpec = spec("x", "frontend");

function decision(ctx: GoalContext, kind: Decision["kind"], taskIds: string[], offset = 0): Decision {
  const id = nextDecisionId(ctx, offset);
  return { id, kind, taskIds, paths: ["f"], reason: kind, diff: "", createdAt: "2020-01-01T00:00:00.000Z" };
}

export function goalInput(): GoalContext {
  return {
    goalId: "g1",
    text: "model",
    repo: "/r",
    baseRef: "HEAD",
    baseCommit: BASE,
    tasks: {},
    order: [],
    settlements: [],
    decisions: [],
    merged: [],
  };
}

export function proposalFor(task: TaskRecord): Proposal {
  const { taskId, role } = task.spec;
  return {
    proposalId: `${taskId}-${task.attempt}`,
    goalId: "g1",
    taskId,
    attempt: task.attempt,
    role,
    agentId: `${role}-1`,
    baseCommit: task.base,
    headCommit: `${task.attempt}`.padStart(40, "b"),
    bundleKey: `g1.${taskId}.${task.attempt}`,
    changedPaths: task.spec.expectedPaths,
    rationale: "",
    checks: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    partial: false,
  };
}

/** The context an invoked effect was started with (what the real effect would see), else the current one. */
function invokeInput(s: GoalSnapshot, id: string): GoalContext {
  const children = s.children as Record<string, { getSnapshot(): { input?: unknown } } | undefined>;
  return (children[id]?.getSnapshot().input as GoalContext | undefined) ?? s.context;
}

function tasksInOrder(ctx: GoalContext): TaskRecord[] {
  return ctx.order.map((id) => ctx.tasks[id] as TaskRecord);
}

function settleOutcomes(ctx: GoalContext): SettleOutcome[] {
  const reject = blockedTasks(ctx).map((t) => ({ taskId: t.spec.taskId, reason: "dependency failed" }));
  const outcomes: SettleOutcome[] = [{ settlements: [], revise: [], reject }];
  const accepted = tasksInOrder(ctx).filter((t) => t.status === "accepted");
  const winner = accepted[0];
  const loser = accepted.at(-1);
  if (winner && loser && winner !== loser && detoursTaken(ctx) < detourBudget(ctx)) {
    const settlement = {
      winner: winner.spec.taskId,
      loser: loser.spec.taskId,
      policy: "priority",
      reason: "overlap",
      files: ["f"],
    };
    // One revision per task keeps the model finite; settle-conflicts decides how many there really are.
    if (loser.revisions === 0) {
      const base = winner.proposal?.headCommit ?? BASE;
      outcomes.push({
        settlements: [settlement],
        revise: [{ taskId: loser.spec.taskId, base, feedback: "redo on top" }],
        reject,
      });
    }
    outcomes.push({
      settlements: [],
      decisions: [decision(ctx, "conflict", [winner.spec.taskId, loser.spec.taskId])],
      revise: [],
      reject,
    });
    outcomes.push({
      settlements: [{ ...settlement, policy: "ownership" }],
      revise: [],
      reject: [...reject, { taskId: loser.spec.taskId, reason: "lost" }],
    });
  }
  return outcomes;
}

function mergeOutcomes(ctx: GoalContext): MergeOutcome[] {
  const merged = tasksInOrder(ctx)
    .filter((t) => t.status === "accepted")
    .map((t) => t.spec.taskId);
  return [
    { head: "d".repeat(40), merged, conflicts: [] },
    { head: "d".repeat(40), merged: [], conflicts: [{ id: merged[0] ?? "?", files: ["f"] }] },
  ];
}

function verifyResults(ctx: GoalContext): VerifyResult[] {
  const results: VerifyResult[] = [
    { passed: true, exitCode: 0, output: "ok", command: ["t"] },
    { passed: false, exitCode: 1, output: "boom", command: ["t"] },
  ];
  const culprit = ctx.merged[0];
  if (culprit && detoursTaken(ctx) < detourBudget(ctx))
    results.push({ passed: false, exitCode: 1, output: "boom", command: ["t"], culprit });
  return results;
}

const done = (id: string, output: unknown): GoalModelEvent => ({ type: `xstate.done.actor.${id}`, output });
const error = (id: string): GoalModelEvent => ({
  type: `xstate.error.actor.${id}`,
  error: new Error(`${id} broke`),
});

/**
 * How many detours (retries, revisions, decisions, change requests) a path has taken. The model offers a
 * detour only while this is under `DETOURS`, which keeps the state space small enough to replay every edge.
 */
export function detoursTaken(ctx: GoalContext): number {
  const tasks = tasksInOrder(ctx);
  const retries = tasks.reduce((n, t) => n + Math.max(0, t.attempt - 1 - t.revisions), 0);
  const revisions = tasks.reduce((n, t) => n + t.revisions, 0);
  return retries + revisions + ctx.decisions.length + (ctx.tasks[CHANGE_REQUEST.taskId] ? 1 : 0);
}

export const DETOURS = 3;

/** The windowed model has a third task, so it affords one detour per path to stay small enough to explore. */
function detourBudget(ctx: GoalContext): number {
  return ctx.dispatchWindow ? 1 : DETOURS;
}

/** Verdicts and failures the intake and agents can send about the tasks as they stand now. */
function taskEvents(ctx: GoalContext): GoalModelEvent[] {
  const out: GoalModelEvent[] = [];
  const detour = detoursTaken(ctx) < detourBudget(ctx);
  for (const t of tasksInOrder(ctx)) {
    const taskId = t.spec.taskId;
    // The intake reports a proposal before reviewing it; verdicts may also meet a task still `dispatched`
    // (a coordinator restarted between persisting the verdict's cause and the report).
    const current = t.status === "dispatched" || t.status === "proposed";
    if (t.status === "dispatched") out.push({ type: "PROPOSAL.RECEIVED", taskId, attempt: t.attempt, at: 0 });
    // A late duplicate report (a redelivered proposal) or one for an earlier attempt changes nothing.
    if (t.status === "proposed") out.push({ type: "PROPOSAL.RECEIVED", taskId, attempt: t.attempt, at: 0 });
    if (current && t.attempt > 1)
      out.push({ type: "PROPOSAL.RECEIVED", taskId, attempt: t.attempt - 1, at: 0 });
    if (current) {
      out.push(
        { type: "PROPOSAL.ACCEPTED", taskId, record: { ...t, status: "accepted", proposal: proposalFor(t) } },
        { type: "PROPOSAL.REJECTED", taskId, attempt: t.attempt, reason: "final", retry: false },
      );
    }
    if (current && detour) {
      out.push(
        {
          type: "PROPOSAL.AWAITING",
          taskId,
          record: { ...t, status: "awaiting", proposal: proposalFor(t) },
          decision: decision(ctx, "protected", [taskId]),
        },
        { type: "PROPOSAL.REJECTED", taskId, attempt: t.attempt, reason: "retry", retry: true },
      );
    }
    // An agent reports a failure only before it proposes; once proposed, the review decides.
    if (t.status === "dispatched" && detour) {
      out.push({ type: "TASK.FAILED", taskId, attempt: t.attempt, reason: "crashed" });
      // No agent of its role came within the wait: the task fails at once, with no retry.
      out.push({ type: "TASK.UNSERVED", taskId, attempt: t.attempt, reason: "unserved" });
    }
    if (current && detour && taskId === "a" && !ctx.tasks[CHANGE_REQUEST.taskId]) {
      const record: TaskRecord = { ...t, status: "accepted", proposal: proposalFor(t) };
      out.push({ type: "PROPOSAL.ACCEPTED", taskId, record, newTasks: [CHANGE_REQUEST] });
    }
    // A verdict reviewed against an earlier attempt (the review awaited I/O meanwhile) must change nothing.
    if (current && t.attempt > 1) {
      const old = { ...t, attempt: t.attempt - 1 };
      out.push(
        {
          type: "PROPOSAL.ACCEPTED",
          taskId,
          record: { ...old, status: "accepted", proposal: proposalFor(old) },
        },
        { type: "PROPOSAL.REJECTED", taskId, attempt: old.attempt, reason: "stale", retry: true },
      );
    }
    // Late or duplicate failure reports (an older attempt, a task no longer dispatched) must change nothing.
    if (t.attempt > 1) out.push({ type: "TASK.FAILED", taskId, attempt: t.attempt - 1, reason: "stale" });
    if (t.attempt > 0 && t.status !== "dispatched") {
      out.push({ type: "TASK.FAILED", taskId, attempt: t.attempt, reason: "late" });
      out.push({ type: "TASK.UNSERVED", taskId, attempt: t.attempt, reason: "late" });
    }
  }
  for (const d of ctx.decisions.filter((d) => !d.resolution)) {
    out.push({ type: "DECISION.RESOLVED", decisionId: d.id, approved: false, reason: "no" });
    const winner = d.kind === "conflict" ? { winner: d.taskIds[0] as string } : {};
    out.push({ type: "DECISION.RESOLVED", decisionId: d.id, approved: true, reason: "yes", ...winner });
  }
  return out;
}

// What a dispatch does: the ready tasks within their roles' windows. Time is abstract in the model.
function dispatchOutcomes(ctx: GoalContext): DispatchOutcome[] {
  return [{ taskIds: readyTasks(ctx).map((t) => t.spec.taskId), at: 0 }];
}

/** Every event the model offers in a state: effect outcomes (success and failure), verdicts, CANCEL. */
export function goalEvents(s: GoalSnapshot, plan: TaskSpec[] = MODEL_PLAN): GoalModelEvent[] {
  if (s.status !== "active") return [];
  const events: GoalModelEvent[] = [{ type: "CANCEL", reason: "user" }];
  if (s.matches("planning")) events.push(done(INVOKE.plan, plan), error(INVOKE.plan));
  if (s.matches({ running: "dispatching" })) {
    for (const outcome of dispatchOutcomes(invokeInput(s, INVOKE.dispatch)))
      events.push(done(INVOKE.dispatch, outcome));
    events.push(error(INVOKE.dispatch));
  }
  if (s.matches("running")) events.push(...taskEvents(s.context));
  if (s.matches("settling")) {
    for (const o of settleOutcomes(invokeInput(s, INVOKE.settle))) events.push(done(INVOKE.settle, o));
    events.push(error(INVOKE.settle));
  }
  if (s.matches("merging")) {
    for (const o of mergeOutcomes(invokeInput(s, INVOKE.merge))) events.push(done(INVOKE.merge, o));
    events.push(error(INVOKE.merge));
  }
  if (s.matches("verifying")) {
    for (const v of verifyResults(invokeInput(s, INVOKE.verify))) events.push(done(INVOKE.verify, v));
    events.push(error(INVOKE.verify));
  }
  return events;
}

/**
 * The abstract state: state value, each task's status/attempt/revisions/base, merged, what dispatch saw,
 * decisions, the verdict of the tests and the held tasks (times are abstract: every dispatch and receipt at 0).
 */
export function serializeGoal(s: GoalSnapshot): string {
  const ctx = s.context;
  const tasks = tasksInOrder(ctx).map(
    (t) => `${t.spec.taskId}:${t.status}:${t.attempt}:${t.revisions}:${t.base.slice(0, 2)}`,
  );
  const sawReady = s.matches({ running: "dispatching" })
    ? readyTasks(invokeInput(s, INVOKE.dispatch)).map((t) => t.spec.taskId)
    : [];
  const decisions = ctx.decisions.map((d) => `${d.id}:${d.kind}:${d.resolution?.approved ?? "open"}`);
  return JSON.stringify([s.value, tasks, ctx.merged, sawReady, decisions, ctx.verify?.passed ?? null]);
}
