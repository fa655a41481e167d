import type { KeyValue } from "../../bus/index.js";
import { claimKey, isGuildError, parseClaim, type TaskClaim } from "../../protocol/index.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export { claimKey };

/**
 * Claims (task, attempt) with compare-and-set. A redelivered item may take over a claim of the same attempt
 * (its first worker died); a newer attempt always wins over an older one; a stale attempt is refused.
 */
export async function claimTask(
  kv: KeyValue,
  role: string,
  goalId: string,
  taskId: string,
  attempt: number,
  agentId: string,
  redelivered: boolean,
  now: number,
): Promise<boolean> {
  const key = claimKey(role, goalId, taskId);
  const value = encoder.encode(JSON.stringify({ agentId, attempt, at: now } satisfies TaskClaim));
  try {
    const current = await kv.get(key);
    if (!current || current.operation === "DEL") {
      await kv.create(key, value);
      return true;
    }
    const held = parseClaim(current.value);
    if (held && held.attempt > attempt) return false;
    if (held && held.attempt === attempt && held.agentId !== agentId && !redelivered) return false;
    await kv.update(key, value, current.revision);
    return true;
  } catch (error) {
    if (isGuildError(error, "kv.conflict")) return false;
    throw error;
  }
}

/**
 * Whether `agentId` still holds (task, attempt). A worker that stalled past AckWait (a zombie) finds its
 * claim taken over by the replica the task was redelivered to, and must not propose.
 */
export async function holdsClaim(
  kv: KeyValue,
  role: string,
  goalId: string,
  taskId: string,
  attempt: number,
  agentId: string,
): Promise<boolean> {
  const current = await kv.get(claimKey(role, goalId, taskId));
  if (!current || current.operation === "DEL") return false;
  const held = parseClaim(current.value);
  return held?.agentId === agentId && held.attempt === attempt;
}

const ENDED = new Set(["done", "failed", "cancelled"]);

/** Whether the coordinator's stored record says the goal has ended, so its queued tasks are moot. */
export async function goalHasEnded(kv: KeyValue, goalId: string): Promise<boolean> {
  const entry = await kv.get(`goal.${goalId}`).catch(() => null);
  if (entry?.operation !== "PUT") return false;
  try {
    const record = JSON.parse(decoder.decode(entry.value)) as { status?: unknown };
    return typeof record.status === "string" && ENDED.has(record.status);
  } catch {
    return false;
  }
}
