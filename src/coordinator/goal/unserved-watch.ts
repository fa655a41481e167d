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

/**
 * Warns at once when no agent serves a dispatched task's role, and fails the attempt after the wait unless
 * by then an agent of the role is present or the task was claimed: a goal never sits "dispatched" silently.
 */
export async function watchUnserved(
  deps: UnservedDeps,
  goalId: string,
  dispatched: { taskId: string; role: string; attempt: number }[],
): Promise<void> {
  if (dispatched.length === 0) return;
  const served = await servedRoles(deps.presence).catch(() => undefined);
  // The presence bucket could not be read: no evidence that a role is unserved, so no warning.
  if (!served) return;
  for (const task of dispatched) {
    if (served.has(task.role)) continue;
    const reason = `no agent of role ${task.role} is running`;
    await deps.events.emit("task.unserved", { ...task, waitMs: deps.waitMs, reason }, goalId);
    const send = deps.send;
    if (!send) continue;
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
          reason: `unserved: ${reason} and none came within ${deps.waitMs} ms`,
        });
      })();
    }, deps.waitMs);
    // A wait never keeps the process alive by itself.
    (timer as { unref?: () => void } | undefined)?.unref?.();
  }
}
