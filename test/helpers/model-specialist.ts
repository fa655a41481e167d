import type { SnapshotFrom } from "xstate";
import type { Assignment, specialistMachine } from "../../src/agents/specialist/machine.js";
import type { Proposal } from "../../src/protocol/index.js";

export type SpecialistSnapshot = SnapshotFrom<typeof specialistMachine>;
type ModelEvent = { type: string; [key: string]: unknown };

const INVOKE = {
  prepare: "0.specialist.claimed",
  work: "0.specialist.working",
  revise: "0.specialist.revising",
  propose: "0.specialist.proposing",
} as const;

/** A fresh assignment, or a revision (with the reviewer's feedback) of attempt 2. */
export function assignment(revision: boolean): Assignment {
  return {
    task: {
      taskId: "t1",
      role: "backend",
      title: "t",
      instructions: "",
      expectedPaths: ["src/a.ts"],
      dependsOn: [],
    },
    goalId: "g1",
    goalText: "model",
    attempt: revision ? 2 : 1,
    repoId: "r-0123456789abcdef",
    baseBundles: [],
    baseCommit: "a".repeat(40),
    ...(revision ? { feedback: "redo on top of the winner" } : {}),
  };
}

function proposal(a: Assignment): Proposal {
  return {
    proposalId: `${a.task.taskId}-${a.attempt}`,
    goalId: a.goalId,
    taskId: a.task.taskId,
    attempt: a.attempt,
    role: a.task.role,
    agentId: "backend-1",
    baseCommit: a.baseCommit,
    headCommit: "b".repeat(40),
    bundleKey: null,
    changedPaths: [],
    rationale: "",
    checks: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    partial: false,
  };
}

const error = (id: string): ModelEvent => ({
  type: `xstate.error.actor.${id}`,
  error: new Error(`${id} broke`),
});

/** Events offered in a state: claims, cancel, reset, and each stage's success and failure. */
export function specialistEvents(s: SpecialistSnapshot): ModelEvent[] {
  const a = s.context.assignment;
  const events: ModelEvent[] = [
    { type: "CLAIM", assignment: assignment(false) },
    { type: "CLAIM", assignment: assignment(true) },
    { type: "CANCEL", reason: "user" },
    { type: "RESET" },
  ];
  const workspace = { dir: "/w", branch: "guild/g1/t1", sparse: false };
  const outcome = { summary: "did it", inputTokens: 1, outputTokens: 1 };
  if (s.matches("claimed"))
    events.push({ type: `xstate.done.actor.${INVOKE.prepare}`, output: workspace }, error(INVOKE.prepare));
  if (s.matches("working"))
    events.push({ type: `xstate.done.actor.${INVOKE.work}`, output: outcome }, error(INVOKE.work));
  if (s.matches("revising"))
    events.push({ type: `xstate.done.actor.${INVOKE.revise}`, output: outcome }, error(INVOKE.revise));
  if (s.matches("proposing") && a)
    events.push({ type: `xstate.done.actor.${INVOKE.propose}`, output: proposal(a) }, error(INVOKE.propose));
  return events;
}

export function serializeSpecialist(s: SpecialistSnapshot): string {
  const c = s.context;
  return JSON.stringify([
    s.value,
    c.assignment?.attempt ?? null,
    Boolean(c.workspace),
    Boolean(c.outcome),
    c.proposal?.proposalId ?? null,
    c.error ?? null,
  ]);
}

/** What one step of the specialist machine broke (empty when every invariant holds). */
export function specialistStepViolations(prev: SpecialistSnapshot, next: SpecialistSnapshot): string[] {
  const out: string[] = [];
  const c = next.context;
  const state = String(next.value);
  const at = (msg: string) => out.push(`${String(prev.value)} → ${state}: ${msg}`);
  if (state === "idle" && (c.assignment || c.workspace || c.outcome || c.proposal)) at("idle keeps a task");
  if (state === "workspaceReady") at("workspaceReady is transient and never rests");
  if (["working", "revising", "proposing", "proposed"].includes(state) && !c.workspace) at("no workspace");
  if (state === "revising" && !c.assignment?.feedback) at("revising without feedback");
  if (state === "working" && c.assignment?.feedback) at("working on a revision as if it were new");
  if (["proposing", "proposed"].includes(state) && !c.outcome) at("no work outcome");
  if (state === "proposed") {
    const p = c.proposal;
    if (!p || p.taskId !== c.assignment?.task.taskId || p.attempt !== c.assignment?.attempt)
      at("wrong proposal");
  }
  if (state === "failed" && !c.error) at("failed without an error");
  if (state === "claimed" && c.error) at("a new claim keeps the last error");
  // A CLAIM while busy is ignored: the task in hand is never swapped.
  if (prev.value !== "idle" && prev.context.assignment && c.assignment !== prev.context.assignment)
    if (state !== "idle") at("a busy worker took another task");
  return out;
}
