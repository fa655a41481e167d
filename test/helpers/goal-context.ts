import type { GoalContext, TaskRecord, TaskStatus } from "../../src/coordinator/goal/goal-types.js";
import type { TaskSpec } from "../../src/protocol/index.js";

const BASE = "b".repeat(40);

/** One task of a test goal: id, role, dependencies, status (default pending), and clock times. */
export type TaskRow = [
  id: string,
  role: string,
  dependsOn: string[],
  status?: TaskStatus,
  times?: { dispatchedAt?: number; proposedAt?: number },
];

/** A goal's context holding `rows` in plan order, with an optional dispatch window. */
export function goalContext(rows: TaskRow[], dispatchWindow?: Record<string, number>): GoalContext {
  const tasks: Record<string, TaskRecord> = {};
  for (const [taskId, role, dependsOn, status = "pending", times = {}] of rows) {
    const spec: TaskSpec = { taskId, role, title: taskId, instructions: "", expectedPaths: [], dependsOn };
    const attempt = status === "pending" ? 0 : 1;
    tasks[taskId] = { spec, status, attempt, base: BASE, revisions: 0, ...times };
  }
  return {
    goalId: "g1",
    text: "goal",
    repo: "/r",
    baseRef: "HEAD",
    baseCommit: BASE,
    tasks,
    order: rows.map(([id]) => id),
    settlements: [],
    decisions: [],
    merged: [],
    ...(dispatchWindow ? { dispatchWindow } : {}),
  };
}
