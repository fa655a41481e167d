import type { GoalHandle } from "./coordinator-core.js";
import { mergeEntries, statusOf } from "./goal/index.js";
import type { LiveGoalView } from "./live/index.js";
import type { GoalPort } from "./review/index.js";

/** Review's narrow view of the running goals: it reads and reports, and never starts, stops or replaces one. */
export function goalPortOf(goals: ReadonlyMap<string, GoalHandle>): GoalPort {
  return {
    find(goalId) {
      const goal = goals.get(goalId);
      if (!goal) return undefined;
      return {
        ownership: goal.ownership,
        context: () => goal.actor.getSnapshot().context,
        send: (event) => goal.actor.send(event),
        // In the background: the review worker moves on; the final merge waits for it if it must.
        offerMerge: () => void goal.premerge.offer(mergeEntries(goal.actor.getSnapshot().context)),
        ended: () => {
          const snapshot = goal.actor.getSnapshot();
          return snapshot.status === "done" ? statusOf(snapshot.value) : undefined;
        },
      };
    },
  };
}

/** Live coordination's view of a goal: its tasks' roles and bases, and the live settings of its config. */
export function liveViewOf(goal: GoalHandle | undefined): LiveGoalView | undefined {
  if (!goal) return undefined;
  return {
    live: goal.ownership.config.live,
    task(taskId) {
      const { tasks } = goal.actor.getSnapshot().context;
      const record = tasks[taskId];
      if (!record) return undefined;
      const dependents = Object.values(tasks)
        .filter((t) => t.spec.dependsOn.includes(taskId))
        .map((t) => ({ taskId: t.spec.taskId, role: t.spec.role }));
      return {
        role: record.spec.role,
        base: record.base,
        head: record.proposal?.headCommit,
        provides: record.spec.provides,
        dependents,
      };
    },
  };
}
