import type { GuildConfig, TaskSpec } from "../../protocol/index.js";
import { dependencyLetsStart } from "./contract-dependencies.js";
import type { GoalContext, TaskRecord } from "./goal-types.js";

/**
 * The tasks to dispatch now: pending, with every dependency accepted (or under way with a declared
 * contract, `dependencyLetsStart`), most critical first (the longest
 * chain of tasks waiting on it, then plan order). With a dispatch window, a role never has more than its
 * window of tasks with an agent (dispatched, no proposal received yet; a proposal in review holds no
 * agent, so it holds no slot): the rest wait here rather than at the back of the role's work queue, so a
 * task that becomes ready later but holds up a chain is not queued behind them. A task that waits only on
 * reviews (every dependency accepted or proposed) keeps a slot of its role from less critical ready tasks:
 * it is ready within a review's time, and an agent given other work would keep it waiting a whole task.
 */
export function readyTasks(context: GoalContext): TaskRecord[] {
  return allocateSlots(context).dispatch;
}

/** The tasks to dispatch now, and the tasks not ready yet that keep a slot of their role (see `readyTasks`). */
export function allocateSlots(context: GoalContext): { dispatch: TaskRecord[]; kept: TaskRecord[] } {
  const tasks = context.order.map((id) => context.tasks[id] as TaskRecord);
  const depStatus = (t: TaskRecord) => t.spec.dependsOn.map((dep) => context.tasks[dep]?.status);
  const ready = tasks.filter(
    (t) => t.status === "pending" && t.spec.dependsOn.every((dep) => dependencyLetsStart(context, dep)),
  );
  if (ready.length === 0) return { dispatch: ready, kept: [] };
  const depth = chainDepths(context);
  const rank = new Map(context.order.map((id, i) => [id, i]));
  const byCriticality = (a: TaskRecord, b: TaskRecord) =>
    (depth.get(b.spec.taskId) ?? 0) - (depth.get(a.spec.taskId) ?? 0) ||
    (rank.get(a.spec.taskId) ?? 0) - (rank.get(b.spec.taskId) ?? 0);
  const window = context.dispatchWindow;
  if (!window) return { dispatch: ready.sort(byCriticality), kept: [] };
  const readySet = new Set(ready);
  const nearlyReady = new Set(
    tasks.filter((t) => {
      if (t.status !== "pending" || readySet.has(t)) return false;
      const deps = depStatus(t);
      return deps.includes("proposed") && deps.every((s) => s === "accepted" || s === "proposed");
    }),
  );
  const inFlight = new Map<string, number>();
  for (const t of Object.values(context.tasks))
    if (t.status === "dispatched") inFlight.set(t.spec.role, (inFlight.get(t.spec.role) ?? 0) + 1);
  const slotted = [...ready, ...nearlyReady].sort(byCriticality).filter((t) => {
    const limit = window[t.spec.role];
    if (limit === undefined) return !nearlyReady.has(t);
    const used = inFlight.get(t.spec.role) ?? 0;
    if (used >= limit) return false;
    inFlight.set(t.spec.role, used + 1);
    return true;
  });
  // A task waiting on a review takes its slot but is not dispatched yet.
  return {
    dispatch: slotted.filter((t) => !nearlyReady.has(t)),
    kept: slotted.filter((t) => nearlyReady.has(t)),
  };
}

/**
 * The dispatch window of a goal: per role whose replicas guild.yaml declares, that number (a role without
 * it is not limited: its agents may be more than one). No task waits in a role's
 * queue while its agents are busy, so a task that becomes ready later (the next step of a chain) goes to
 * the first agent that frees up instead of behind queued work that may take minutes. A slot frees when the
 * agent's proposal is received, not when it is decided, so review never keeps an agent idle; the price is
 * one round trip (the proposal, then the next dispatch) between an agent's proposal and its next task.
 */
export function dispatchWindowOf(config: GuildConfig): Record<string, number> {
  return Object.fromEntries(
    Object.entries(config.roles).flatMap(([role, c]) =>
      c.replicas === undefined ? [] : [[role, c.replicas]],
    ),
  );
}

/** For each task, how many tasks the longest chain of tasks depending on it holds (itself included). */
export function chainDepths(context: GoalContext): Map<string, number> {
  const dependents = new Map<string, string[]>();
  for (const t of Object.values(context.tasks))
    for (const dep of t.spec.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), t.spec.taskId]);
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    // Plans are checked acyclic before they run; the guard keeps a bad one from recursing forever.
    if (seen.has(id)) return 0;
    seen.add(id);
    const below = (dependents.get(id) ?? []).map((d) => visit(d, seen));
    const d = 1 + Math.max(0, ...below);
    depth.set(id, d);
    return d;
  };
  for (const id of context.order) visit(id, new Set());
  return depth;
}

/** Whether `attempt` is the one the task is currently dispatched with (its proposal may be in review). */
export function isCurrent(context: GoalContext, taskId: string, attempt: number): boolean {
  const task = context.tasks[taskId];
  return (task?.status === "dispatched" || task?.status === "proposed") && task.attempt === attempt;
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
