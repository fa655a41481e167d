import type { Subscription } from "../bus/index.js";
import type { GuildEvent } from "../protocol/index.js";
import type { CoordinatorCore } from "./coordinator-core.js";
import { claimHolderProblem } from "./goal/index.js";

/**
 * Follows agents' `task.failed` events from `since` (a restart replays those its restored goals may have
 * missed) and passes each on to its goal's machine.
 */
export function followTaskFailures(core: CoordinatorCore, since: Date): Promise<Subscription> {
  return core.bus.events.follow({ subject: "guild.evt.*.*.task.failed", fromTime: since }, (event, meta) =>
    taskFailed(core, event, meta.subject),
  );
}

/** A task's failure counts only from the agent that claimed that attempt; anyone else's is reported and ignored. */
async function taskFailed(core: CoordinatorCore, event: GuildEvent, subject: string): Promise<void> {
  if (event.type !== "task.failed" || !event.goalId) return;
  const goal = core.goals.get(event.goalId);
  const { taskId, attempt, reason } = event.payload;
  const task = goal?.actor.getSnapshot().context.tasks[taskId];
  if (!goal || !task) return;
  const problem = await withRetries(() =>
    claimHolderProblem(core.bus.kv, task.spec.role, event.goalId as string, taskId, attempt, event.source),
  ).catch((error: unknown) => `its claim could not be read: ${(error as Error).message}`);
  if (problem) {
    await core.events.emit(
      "bus.message.rejected",
      {
        subject,
        reason: `task.failed ignored: ${problem}`,
        issues: [],
        sample: JSON.stringify(event).slice(0, 2000),
      },
      event.goalId,
    );
    return;
  }
  goal.actor.send({ type: "TASK.FAILED", taskId, attempt, reason });
}

/** A read that a NATS failover may fail for a moment is tried three times, half a second apart. */
async function withRetries<T>(read: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (error) {
      if (i >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
