import { z } from "zod";
import { Token } from "./envelope.js";

/** Who works (task, attempt): a compare-and-set record in `guild-state`, the fence of DESIGN.md's NATS notes. */
export const TaskClaim = z.object({
  agentId: Token,
  attempt: z.number().int().min(1),
  /** When it was claimed (ms since the epoch). */
  at: z.number(),
});
export type TaskClaim = z.infer<typeof TaskClaim>;

/**
 * The KV key of a task's claim. It starts with the task's role, so under NATS permissions only that role's
 * agents can write it, and a proposal whose agent holds it came from that role's identity.
 */
export function claimKey(role: string, goalId: string, taskId: string): string {
  return `claim.${role}.${goalId}.${taskId}`;
}

/** Reads a stored claim; null for anything that is not one. */
export function parseClaim(value: Uint8Array): TaskClaim | null {
  try {
    const parsed = TaskClaim.safeParse(JSON.parse(new TextDecoder().decode(value)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
