import type { Actor } from "xstate";
import type { GoalStatus } from "../protocol/index.js";
import type { CoordinatorCore } from "./coordinator-core.js";
import { finishGoal, type GoalContext, type goalMachine, stateName, statusOf } from "./goal/index.js";

type GoalActor = Actor<typeof goalMachine>;

/** Publishes and persists every state change of a goal's machine; resolves when the goal ends. */
export function watchGoal(
  core: CoordinatorCore,
  goalId: string,
  actor: GoalActor,
  from = "none",
): Promise<GoalContext & { status: GoalStatus }> {
  let previous = from;
  return new Promise((resolve) => {
    actor.subscribe((snapshot) => {
      const name = stateName(snapshot.value);
      const status = statusOf(snapshot.value);
      persistGoal(core, goalId, actor, name, status, snapshot.context);
      if (name === previous) return;
      void core.events.emit("coordinator.state.changed", { from: previous, to: name, status }, goalId);
      previous = name;
      if (snapshot.status !== "done") return;
      const ctx = snapshot.context;
      void announce(core, goalId, actor, name, status, ctx);
      resolve({ ...ctx, status });
    });
  });
}

/** Runs the end-of-goal steps (goal/goal-end.ts); the final record is marked announced once the terminal event is out. */
async function announce(
  core: CoordinatorCore,
  goalId: string,
  actor: GoalActor,
  name: string,
  status: GoalStatus,
  ctx: GoalContext,
): Promise<void> {
  const { bus, events, logger, store, handoffSecrets } = core;
  const config = core.goals.get(goalId)?.ownership.config;
  await finishGoal({ bus, events, logger, store, handoffSecrets }, { goalId, status, ctx, config }, () =>
    persistGoal(core, goalId, actor, name, status, ctx, true),
  );
}

/** Queues the goal's record (snapshot, status, context) for a compare-and-set write. */
function persistGoal(
  core: CoordinatorCore,
  goalId: string,
  actor: GoalActor,
  state: string,
  status: GoalStatus,
  context: GoalContext,
  announced = false,
): void {
  const { context: _omitted, ...snapshot } = actor.getPersistedSnapshot() as Record<string, unknown>;
  core.store.save({
    goalId,
    state,
    status,
    context,
    updatedAt: new Date().toISOString(),
    owner: core.store.owner,
    snapshot,
    ...(announced ? { announced } : {}),
  });
}
