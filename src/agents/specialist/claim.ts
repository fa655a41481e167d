import type { KeyValue } from "../../bus/index.js";
import { isGuildError } from "../../protocol/index.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface ClaimRecord {
  agentId: string;
  attempt: number;
  at: number;
}

/** The KV key fencing one task: only the holder of (task, attempt) may propose for it. */
export function claimKey(goalId: string, taskId: string): string {
  return `claim.${goalId}.${taskId}`;
}

/**
 * Claims (task, attempt) with compare-and-set. A redelivered item may take over a claim of the same attempt
 * (its first worker died); a newer attempt always wins over an older one; a stale attempt is refused.
 */
export async function claimTask(
  kv: KeyValue,
  goalId: string,
  taskId: string,
  attempt: number,
  agentId: string,
  redelivered: boolean,
  now: number,
): Promise<boolean> {
  const key = claimKey(goalId, taskId);
  const value = encoder.encode(JSON.stringify({ agentId, attempt, at: now } satisfies ClaimRecord));
  try {
    const current = await kv.get(key);
    if (!current || current.operation === "DEL") {
      await kv.create(key, value);
      return true;
    }
    const held = JSON.parse(decoder.decode(current.value)) as ClaimRecord;
    if (held.attempt > attempt) return false;
    if (held.attempt === attempt && held.agentId !== agentId && !redelivered) return false;
    await kv.update(key, value, current.revision);
    return true;
  } catch (error) {
    if (isGuildError(error, "kv.conflict")) return false;
    throw error;
  }
}
