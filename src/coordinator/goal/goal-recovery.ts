import type { Actor, Snapshot } from "xstate";
import type { EventEmitter } from "../../bus/index.js";
import { type IncrementalMerge, integrationBranch } from "../../git/index.js";
import { loadOwnership, type Ownership } from "../../ownership/index.js";
import { type GoalStatus, type Logger, proposalHasCommits } from "../../protocol/index.js";
import { standingOf, sweepBaseBundles } from "./base-bundles.js";
import { createGoalActor, type GoalActorDeps } from "./goal-actor.js";
import type { GoalEvent, goalMachine } from "./goal-machine.js";
import { type GoalRecord, type GoalStore, isFinalStatus, type StoredGoal } from "./goal-store.js";
import type { GoalContext } from "./goal-types.js";
import { sweepProposalBundles } from "./proposal-bundles.js";
import { rearmUnserved, UNSERVED_WAIT_MS } from "./unserved-watch.js";

/** A goal taken over from the store, with an actor built from its snapshot (not yet started). */
export interface RestoredGoal {
  record: GoalRecord;
  actor: Actor<typeof goalMachine>;
  ownership: Ownership;
  premerge: IncrementalMerge;
}

export interface RecoveryDeps extends GoalActorDeps {
  store: GoalStore;
  logger: Logger;
}

/**
 * Takes over every goal in the store that has not ended and rebuilds its machine from the persisted
 * snapshot. XState re-invokes the promise actors that were in flight at the crash (plan, dispatch,
 * settle, merge, verify), so those effects are idempotent: dispatch reuses the attempt's message id,
 * merging skips what the integration branch already contains, verification runs again. First, the base
 * bundles no unfinished goal stands on, and the proposal bundles of goals that ended, are deleted: goals
 * that ended without their clean-up left them (a goal the store does not know keeps its proposal bundles).
 */
export async function restoreGoals(deps: RecoveryDeps): Promise<RestoredGoal[]> {
  const restored: RestoredGoal[] = [];
  const all = await deps.store.list();
  await sweepBaseBundles(deps.bus, standingOf(all), deps.logger).catch((error: unknown) =>
    deps.logger.warn({ err: error }, "could not sweep the base bundles"),
  );
  await sweepProposalBundles(deps.bus, standingOf(all), deps.logger).catch((error: unknown) =>
    deps.logger.warn({ err: error }, "could not sweep the proposal bundles"),
  );
  for (const stored of all) {
    const { record } = stored;
    if (isFinalStatus(record.status)) {
      if (!record.announced) await announceOnce(deps, stored);
      continue;
    }
    if (!record.snapshot) continue;
    if (!(await deps.store.adopt(stored))) {
      deps.logger.warn({ goalId: record.goalId }, "another coordinator took this goal over");
      continue;
    }
    const ownership = await loadOwnership({ repoDir: record.context.repo });
    const snapshot = { ...record.snapshot, context: record.context } as unknown as Snapshot<unknown>;
    const { actor, premerge, send } = createGoalActor(deps, ownership, record.context, snapshot);
    await rearmWatches(deps, record, ownership, send).catch((error: unknown) =>
      deps.logger.warn({ err: error, goalId: record.goalId }, "could not re-arm the unserved-role waits"),
    );
    restored.push({ record, actor, ownership, premerge });
  }
  return restored;
}

/**
 * The waits of dispatched, unclaimed attempts whose role nobody serves, which died with the previous
 * coordinator's timers: armed again for what is left of them (events are queued until the actor starts).
 */
async function rearmWatches(
  deps: RecoveryDeps,
  record: GoalRecord,
  ownership: Ownership,
  send: (event: GoalEvent) => void,
): Promise<void> {
  const dispatched = Object.values(record.context.tasks)
    .filter((t) => t.status === "dispatched" && t.attempt > 0)
    .map((t) => ({
      taskId: t.spec.taskId,
      role: t.spec.role,
      attempt: t.attempt,
      dispatchedAt: t.dispatchedAt,
    }));
  if (dispatched.length === 0) return;
  const logged = await deps.bus.events.read({
    subject: `guild.evt.${record.goalId}.coordinator.task.unserved`,
  });
  const warned = new Set(
    logged.flatMap((e) => (e.type === "task.unserved" ? [`${e.payload.taskId}\0${e.payload.attempt}`] : [])),
  );
  await rearmUnserved(
    {
      presence: deps.bus.presence,
      kv: deps.bus.kv,
      events: deps.events,
      clock: deps.clock,
      waitMs: ownership.config.unservedWaitMs ?? UNSERVED_WAIT_MS,
      send,
    },
    record.goalId,
    dispatched,
    (task) => warned.has(`${task.taskId}\0${task.attempt}`),
  );
}

/** What a done goal changed; when no task changed anything, the agents' reasons why nothing was needed. */
function doneSummary(ctx: GoalContext, branch: string): string {
  const tasks = Object.values(ctx.tasks).filter((t) => t.status === "accepted" && t.proposal);
  if (tasks.length > 0 && tasks.every((t) => t.proposal && !proposalHasCommits(t.proposal))) {
    return tasks
      .map((t) => `${t.spec.taskId}: ${t.reason?.replace(/^accepted: /, "") ?? "no changes were needed"}`)
      .join("; ");
  }
  return `${ctx.merged.length} proposal(s) merged into ${branch}; tests ${ctx.verify?.passed ? "passed" : "not run"}`;
}

/** Publishes the goal's terminal event: `goal.done`, `goal.failed` or `goal.cancelled`. */
export async function announceEnd(
  events: EventEmitter,
  goalId: string,
  status: GoalStatus,
  ctx: GoalContext,
): Promise<void> {
  if (status === "done") {
    const branch = integrationBranch(goalId);
    const summary = doneSummary(ctx, branch);
    await events.emit("goal.done", { branch, head: ctx.integrationHead ?? ctx.baseCommit, summary }, goalId);
  } else if (status === "cancelled") {
    await events.emit("goal.cancelled", { reason: ctx.reason ?? "cancelled" }, goalId);
  } else {
    await events.emit("goal.failed", { reason: ctx.reason ?? "unknown" }, goalId);
  }
}

const TERMINAL = new Set(["goal.done", "goal.failed", "goal.cancelled"]);

/** A coordinator that died between storing the final state and announcing it: announce it now. */
async function announceOnce(deps: RecoveryDeps, stored: StoredGoal): Promise<void> {
  const { record } = stored;
  const logged = await deps.bus.events.read({ subject: `guild.evt.${record.goalId}.coordinator.goal.*` });
  if (!logged.some((e) => TERMINAL.has(e.type))) {
    await announceEnd(deps.events, record.goalId, record.status, record.context);
  }
  if (await deps.store.adopt(stored)) {
    deps.store.save({ ...record, announced: true });
    await deps.store.flush(record.goalId).catch(() => undefined);
  }
}
