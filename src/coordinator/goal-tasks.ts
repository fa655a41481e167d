import type { TaskSpec } from "../protocol/index.js";
import type { GoalContext, TaskRecord } from "./goal-types.js";

/** A task is ready when every task it depends on has been accepted. */
export function readyTasks(context: GoalContext): TaskRecord[] {
  return context.order
    .map((id) => context.tasks[id] as TaskRecord)
    .filter(
      (t) =>
        t.status === "pending" && t.spec.dependsOn.every((dep) => context.tasks[dep]?.status === "accepted"),
    );
}

/** Whether `attempt` is the one the task is currently dispatched with. */
export function isCurrent(context: GoalContext, taskId: string, attempt: number): boolean {
  const task = context.tasks[taskId];
  return task?.status === "dispatched" && task.attempt === attempt;
}

/** Pending tasks that can never run because a task they depend on was rejected or failed. */
export function blockedTasks(context: GoalContext): TaskRecord[] {
  // Transitive: a task after a blocked task is blocked too (t02 rejected blocks t03, and so t04).
  const dead = new Set(
    Object.values(context.tasks)
      .filter((t) => t.status === "rejected" || t.status === "failed")
      .map((t) => t.spec.taskId),
  );
  const blocked: TaskRecord[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of Object.values(context.tasks)) {
      if (t.status !== "pending" || dead.has(t.spec.taskId)) continue;
      if (t.spec.dependsOn.some((dep) => dead.has(dep) || !context.tasks[dep])) {
        dead.add(t.spec.taskId);
        blocked.push(t);
        grew = true;
      }
    }
  }
  return blocked;
}

export function allSettled(context: GoalContext): boolean {
  const blocked = new Set(blockedTasks(context));
  return Object.values(context.tasks).every(
    (t) => t.status === "accepted" || t.status === "rejected" || t.status === "failed" || blocked.has(t),
  );
}

export function updateTask(
  context: GoalContext,
  taskId: string,
  fn: (t: TaskRecord) => TaskRecord,
): GoalContext["tasks"] {
  const task = context.tasks[taskId];
  return task ? { ...context.tasks, [taskId]: fn(task) } : context.tasks;
}

/** Adds tasks created while the goal runs (change requests to owners) to the plan. */
export function addTasks(context: GoalContext, specs: TaskSpec[]): Partial<GoalContext> {
  const tasks = { ...context.tasks };
  const order = [...context.order];
  for (const spec of specs) {
    if (tasks[spec.taskId]) continue;
    tasks[spec.taskId] = { spec, status: "pending", attempt: 0, base: context.baseCommit, revisions: 0 };
    order.push(spec.taskId);
  }
  return { tasks, order };
}
