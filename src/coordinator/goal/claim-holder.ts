import type { KeyValue } from "../../bus/index.js";
import { claimKey, parseClaim } from "../../protocol/index.js";

/**
 * Why `agentId` does not speak for attempt `attempt` of a task, or undefined when it holds that claim. The
 * claim's key starts with the task's role, which only that role's identity may write. A newer attempt's claim
 * is no problem here: the goal drops what belongs to an attempt that is no longer current.
 */
export async function claimHolderProblem(
  kv: KeyValue,
  role: string,
  goalId: string,
  taskId: string,
  attempt: number,
  agentId: string,
): Promise<string | undefined> {
  const entry = await kv.get(claimKey(role, goalId, taskId));
  const claim = entry ? parseClaim(entry.value) : null;
  if (!claim) return `no agent of role ${role} claimed task ${taskId}`;
  if (claim.attempt > attempt) return undefined;
  if (claim.agentId !== agentId || claim.attempt !== attempt) {
    return `${agentId} speaks for attempt ${attempt} of ${taskId}, but ${claim.agentId} claimed attempt ${claim.attempt}`;
  }
  return undefined;
}
