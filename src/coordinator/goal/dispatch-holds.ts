import { allocateSlots, dependenciesUnderWay } from "./goal-tasks.js";
import type { DispatchHolds, GoalContext, TaskRecord } from "./goal-types.js";

/** A dependency counts as finishing now within this share of its expected duration, either side. */
const TOLERANCE_SHARE = 0.1;
const MIN_TOLERANCE_MS = 20;

export interface HeldTask {
  taskId: string;
  role: string;
  until: number;
  reason: string;
}

/** How many of the latest receipts an estimate looks at: recent ones reflect the machine's load now. */
const RECENT = 3;

/**
 * How long a task of `role` takes from dispatch to its proposal's receipt: the median of the goal's latest
 * few received tasks of that role, else of any role; undefined before any proposal was received.
 */
export function expectedDuration(context: GoalContext, role: string): number | undefined {
  const latest = (filter: (t: TaskRecord) => boolean) =>
    Object.values(context.tasks)
      .filter((t) => filter(t) && t.dispatchedAt !== undefined && t.proposedAt !== undefined)
      .sort((a, b) => (b.proposedAt as number) - (a.proposedAt as number))
      .slice(0, RECENT)
      .map((t) => (t.proposedAt as number) - (t.dispatchedAt as number))
      .sort((a, b) => a - b);
  const own = latest((t) => t.spec.role === role);
  const durations = own.length > 0 ? own : latest(() => true);
  if (durations.length === 0) return undefined;
  const mid = Math.floor(durations.length / 2);
  return durations.length % 2 === 1
    ? (durations[mid] as number)
    : ((durations[mid - 1] as number) + (durations[mid] as number)) / 2;
}

/**
 * The tasks worth a slot now although a dependency is still being worked on: pending tasks of a role with
 * a dispatch window whose every dependency is accepted, in review, or worked on and expected to finish
 * within a tolerance of `now` (tasks started together take about as long; a chain step that misses the
 * agent freed a moment before its dependency ends waits a whole task). A hold ends when the last such
 * dependency overruns its tolerance, so an agent idles at most twice the tolerance for it.
 */
export function timedHolds(context: GoalContext, now: number): HeldTask[] {
  const window = context.dispatchWindow;
  if (!window) return [];
  const held: HeldTask[] = [];
  for (const id of context.order) {
    const task = context.tasks[id];
    if (task?.status !== "pending" || window[task.spec.role] === undefined) continue;
    if (!dependenciesUnderWay(context, task)) continue;
    const working = task.spec.dependsOn
      .map((dep) => context.tasks[dep] as TaskRecord)
      .filter((d) => d.status === "dispatched");
    if (working.length === 0) continue;
    const ends = working.map((dep) => imminentEnd(context, dep, now));
    if (ends.some((end) => end === undefined)) continue;
    const until = Math.max(...(ends as number[]));
    const names = working.map((d) => d.spec.taskId).join(", ");
    held.push({
      taskId: task.spec.taskId,
      role: task.spec.role,
      until,
      reason: `${names} expected to finish within ${Math.round(until - now)} ms`,
    });
  }
  return held;
}

/**
 * What to dispatch at clock time `now`: the ready tasks that get a slot, and the holds that keep one (a
 * hold that would keep nothing, because more critical tasks fill its role, is not made).
 */
export function planDispatch(
  context: GoalContext,
  now: number,
): { dispatch: TaskRecord[]; held: HeldTask[]; holds: DispatchHolds } {
  const candidates = timedHolds(context, now);
  const slots = allocateSlots({
    ...context,
    holds: Object.fromEntries(candidates.map((h) => [h.taskId, h.until])),
  });
  const held = candidates.filter((h) => slots.kept.some((t) => t.spec.taskId === h.taskId));
  return { dispatch: slots.dispatch, held, holds: Object.fromEntries(held.map((h) => [h.taskId, h.until])) };
}

/** When a dependency being worked on ends plus the tolerance, if it is expected to end within it of `now`. */
function imminentEnd(context: GoalContext, dep: TaskRecord, now: number): number | undefined {
  const expected = expectedDuration(context, dep.spec.role);
  if (dep.dispatchedAt === undefined || expected === undefined) return undefined;
  const end = dep.dispatchedAt + expected;
  const tolerance = Math.max(MIN_TOLERANCE_MS, expected * TOLERANCE_SHARE);
  return now >= end - tolerance && now < end + tolerance ? end + tolerance : undefined;
}

/** When the first hold ends, so a timer can tell the goal; undefined when nothing is held. */
export function nextHoldEnd(context: GoalContext): number | undefined {
  const ends = Object.values(context.holds ?? {});
  return ends.length > 0 ? Math.min(...ends) : undefined;
}

/** The holds still running at `at`. */
export function holdsAfter(holds: DispatchHolds | undefined, at: number): DispatchHolds {
  return Object.fromEntries(Object.entries(holds ?? {}).filter(([, until]) => until > at));
}
