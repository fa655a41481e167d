import type { EventEmitter, KeyValue } from "../../bus/index.js";
import { AgentPresence, type Clock, claimKey, parseClaim } from "../../protocol/index.js";
import type { GoalEvent } from "./goal-machine.js";

/** How long a task whose role nobody serves waits for an agent before it fails, unless guild.yaml says. */
export const UNSERVED_WAIT_MS = 180_000;

const decoder = new TextDecoder();

/** The roles some agent heartbeats for in the presence bucket now. */
export async function servedRoles(presence: KeyValue): Promise<Set<string>> {
  const roles = new Set<string>();
  for (const key of await presence.keys()) {
    const entry = await presence.get(key).catch(() => null);
    if (!entry) continue;
    try {
      const parsed = AgentPresence.safeParse(JSON.parse(decoder.decode(entry.value)));
      if (parsed.success) roles.add(parsed.data.role);
    } catch {
      // A malformed heartbeat serves no role.
    }
  }
  return roles;
}

export interface UnservedDeps {
  presence: KeyValue;
  kv: KeyValue;
  events: EventEmitter;
  clock: Clock;
  waitMs: number;
  /** Delivers the failure to the goal; the goal drops it if the attempt moved on meanwhile. */
  send?: (event: GoalEvent) => void;
}

/** One dispatched attempt the watch looks after. */
export interface WatchedTask {
  taskId: string;
  role: string;
  attempt: number;
}

/**
 * Warns at once when no agent serves a dispatched task's role, and fails the attempt after the wait unless
 * by then an agent of the role is present or the task was claimed: a goal never sits "dispatched" silently.
 */
export async function watchUnserved(
  deps: UnservedDeps,
  goalId: string,
  dispatched: WatchedTask[],
): Promise<void> {
  if (dispatched.length === 0) return;
  const served = await servedRoles(deps.presence).catch(() => undefined);
  // The presence bucket could not be read: no evidence that a role is unserved, so no warning.
  if (!served) return;
  for (const task of dispatched) {
    if (served.has(task.role)) continue;
    await deps.events.emit(
      "task.unserved",
      { ...task, waitMs: deps.waitMs, reason: unservedReason(task) },
      goalId,
    );
    armUnserved(deps, goalId, task, deps.waitMs);
  }
}

/**
 * After a coordinator restart: the waits of the restored goal's dispatched, unclaimed attempts whose role
 * nobody serves go on from the stored record: each ends `waitMs` after the attempt's dispatch (what is
 * left of it, not a fresh wait; at once if it ran out while no coordinator ran). An attempt not warned
 * about before the restart (its role was served then) is warned about now, with the wait it has left.
 */
export async function rearmUnserved(
  deps: UnservedDeps,
  goalId: string,
  dispatched: (WatchedTask & { dispatchedAt?: number | undefined })[],
  warned: (task: WatchedTask) => boolean,
): Promise<void> {
  if (dispatched.length === 0) return;
  const served = await servedRoles(deps.presence).catch(() => undefined);
  if (!served) return;
  const now = deps.clock.now();
  for (const { dispatchedAt, ...task } of dispatched) {
    if (served.has(task.role)) continue;
    const left = dispatchedAt === undefined ? deps.waitMs : Math.max(0, dispatchedAt + deps.waitMs - now);
    if (!warned(task))
      await deps.events.emit(
        "task.unserved",
        { ...task, waitMs: left, reason: unservedReason(task) },
        goalId,
      );
    armUnserved(deps, goalId, task, left);
  }
}

function unservedReason(task: WatchedTask): string {
  return `no agent of role ${task.role} is running`;
}

/** Fails the attempt after `afterMs` unless by then it was claimed or an agent of its role is present. */
function armUnserved(deps: UnservedDeps, goalId: string, task: WatchedTask, afterMs: number): void {
  const send = deps.send;
  if (!send) return;
  const timer = deps.clock.setTimeout(() => {
    void (async () => {
      const entry = await deps.kv.get(claimKey(task.role, goalId, task.taskId)).catch(() => null);
      const claim = entry ? parseClaim(entry.value) : null;
      const claimed = claim !== null && claim.attempt >= task.attempt;
      const now = await servedRoles(deps.presence).catch(() => undefined);
      if (claimed || !now || now.has(task.role)) return;
      send({
        type: "TASK.UNSERVED",
        taskId: task.taskId,
        attempt: task.attempt,
        reason: `unserved: ${unservedReason(task)} and none came within ${deps.waitMs} ms`,
      });
    })();
  }, afterMs);
  // A wait never keeps the process alive by itself.
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
