import { GuildError, Token } from "../protocol/index.js";

/** Where imported proposals live in the coordinator's repository; a bundle may carry refs only here. */
export const PROPOSAL_NAMESPACE = "refs/guild/proposals/";
/** Where uncommitted or displaced work is kept before a workspace is removed or reset. */
export const SALVAGE_NAMESPACE = "refs/guild/salvage/";

/** Throws unless `value` is a token (letters, digits, '-', '_'), so it is safe in a ref name and a subject. */
export function assertToken(kind: string, value: string): void {
  if (!Token.safeParse(value).success) {
    throw new GuildError("git.failed", `${kind} ${JSON.stringify(value)} is not a valid token`, {
      details: { token: { kind, value } },
    });
  }
}

/** The branch of a task's workspace: `guild/<goal>/<task>`. */
export function taskBranch(goalId: string, taskId: string): string {
  assertToken("goal id", goalId);
  assertToken("task id", taskId);
  return `guild/${goalId}/${taskId}`;
}

/**
 * The integration branch of a goal: `guild/<goal>.integration`.
 * Not `guild/<goal>`: git cannot hold a ref `guild/<goal>` next to the task branches
 * `guild/<goal>/<task>` (a ref cannot be both a file and a directory), and ids cannot contain
 * a dot, so this name never collides with a task branch or another goal's branch.
 */
export function integrationBranch(goalId: string): string {
  assertToken("goal id", goalId);
  return `guild/${goalId}.integration`;
}

/** The ref an imported proposal is stored under. */
export function proposalRef(proposalId: string): string {
  assertToken("proposal id", proposalId);
  return `${PROPOSAL_NAMESPACE}${proposalId}`;
}

/** A fresh salvage ref for a task: `refs/guild/salvage/<goal>/<task>/<stamp>`. */
export function salvageRef(goalId: string, taskId: string, now: Date = new Date()): string {
  assertToken("goal id", goalId);
  assertToken("task id", taskId);
  const stamp = now.toISOString().replace(/[-:.]/g, "").replace("T", "-");
  return `${SALVAGE_NAMESPACE}${goalId}/${taskId}/${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Reads `guild/<goal>/<task>` back into its ids, or undefined for any other branch. */
export function parseTaskBranch(branch: string): { goalId: string; taskId: string } | undefined {
  const m = /^(?:refs\/heads\/)?guild\/([A-Za-z0-9_-]+)\/([A-Za-z0-9_-]+)$/.exec(branch);
  return m?.[1] && m[2] ? { goalId: m[1], taskId: m[2] } : undefined;
}
