import { randomBytes } from "node:crypto";
import type { Actor } from "xstate";
import { type IncrementalMerge, integrationBranch, resolveCommit } from "../git/index.js";
import { loadOwnership, type Ownership } from "../ownership/index.js";
import { type GoalSubmit, GuildError } from "../protocol/index.js";
import type { CoordinatorCore } from "./coordinator-core.js";
import {
  createGoalActor,
  dispatchWindowOf,
  type GoalContext,
  type goalMachine,
  restoreGoals,
} from "./goal/index.js";
import { watchGoal } from "./goal-watch.js";

/** Whether a goal of this id runs here or has a record (running elsewhere, or ended). */
export async function goalExists(core: CoordinatorCore, goalId: string): Promise<boolean> {
  return core.goals.has(goalId) || (await core.store.read(goalId)) !== null;
}

/** Accepts a goal: resolves its base commit, loads the ownership rules, and starts its machine. */
export async function submitGoal(
  core: CoordinatorCore,
  request: GoalSubmit,
): Promise<{ goalId: string; baseCommit: string; integrationBranch: string }> {
  const baseCommit = await resolveCommit(request.repo, request.baseRef);
  const ownership = await loadOwnership({ repoDir: request.repo });
  const goalId = request.goalId ?? `g-${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  if (await goalExists(core, goalId))
    throw new GuildError("plan.invalid", `goal ${goalId} exists already`, { details: { goalId } });
  await core.events.emit(
    "goal.submitted",
    { text: request.text, repo: request.repo, baseRef: request.baseRef, baseCommit },
    goalId,
  );
  const input: GoalContext = {
    goalId,
    text: request.text,
    repo: request.repo,
    baseRef: request.baseRef,
    baseCommit,
    ...(request.plan ? { preparedPlan: request.plan } : {}),
    tasks: {},
    order: [],
    settlements: [],
    decisions: [],
    merged: [],
    dispatchWindow: dispatchWindowOf(ownership.config),
  };
  const { actor, premerge } = createGoalActor(core, ownership, input);
  trackGoal(core, goalId, { actor, ownership, premerge });
  actor.start();
  // The goal is accepted only once its first record is stored: a crash after the reply cannot lose it.
  await core.store.flush(goalId);
  return { goalId, baseCommit, integrationBranch: integrationBranch(goalId) };
}

/**
 * Takes over the goals a previous coordinator left unfinished and restarts their machines from their
 * snapshots; returns the time to replay task failures from (the oldest restored snapshot, else now).
 */
export async function resumeGoals(core: CoordinatorCore): Promise<Date> {
  let since = new Date();
  const restored = await restoreGoals(core);
  for (const { record, actor, ownership, premerge } of restored) {
    const updated = new Date(record.updatedAt);
    if (updated < since) since = updated;
    trackGoal(core, record.goalId, { actor, ownership, premerge }, record.state);
    await core.events.emit(
      "coordinator.state.changed",
      { from: "restored", to: record.state, status: record.status },
      record.goalId,
    );
    actor.start();
  }
  return since;
}

/** Registers a goal's machine (not yet started) among the running goals and watches it from state `from`. */
function trackGoal(
  core: CoordinatorCore,
  goalId: string,
  goal: { actor: Actor<typeof goalMachine>; ownership: Ownership; premerge: IncrementalMerge },
  from?: string,
): void {
  const finished = watchGoal(core, goalId, goal.actor, from);
  core.goals.set(goalId, { ...goal, finished });
}
