import { proposalRefId } from "../protocol/index.js";
import { runGit } from "./git-exec.js";
import { assertToken, PROPOSAL_NAMESPACE, proposalRef } from "./ref-names.js";
import { withRepoLock } from "./repo-lock.js";

/** A proposal of the goal as review stored it: its id (within the goal) and the head its ref was set to. */
export interface GoalProposal {
  proposalId: string;
  head: string;
}

/**
 * Deletes what a goal that ended leaves behind: its task branches `guild/<goal>/<task>` that no worktree
 * has checked out, and the refs of its proposals (`refs/guild/proposals/<goal>-<proposal>`, as review
 * names them: `proposalRefId`) that still hold the head review stored. The integration branch
 * and salvage refs stay. One `update-ref --stdin` under the repository lock; returns the refs deleted.
 */
export async function removeGoalRefs(
  repoDir: string,
  goalId: string,
  proposals: readonly GoalProposal[],
): Promise<string[]> {
  assertToken("goal id", goalId);
  const heads = new Map(
    proposals.map((p) => [proposalRef(proposalRefId({ goalId, proposalId: p.proposalId })), p.head]),
  );
  return withRepoLock(repoDir, async () => {
    const listed = await runGit(repoDir, [
      "for-each-ref",
      "--format=%(refname)%00%(objectname)%00%(worktreepath)",
      `refs/heads/guild/${goalId}/`,
      PROPOSAL_NAMESPACE,
    ]);
    const doomed: [string, string][] = [];
    for (const line of listed.stdout.toString("utf8").split("\n")) {
      const [ref, oid, holder] = line.split("\0");
      if (!ref || !oid) continue;
      const isTask = ref.startsWith(`refs/heads/guild/${goalId}/`) && !holder;
      if (isTask || heads.get(ref) === oid) doomed.push([ref, oid]);
    }
    if (doomed.length === 0) return [];
    // Each delete names the value it expects, so a ref moved meanwhile is left alone (and fails the batch).
    const input = doomed.map(([ref, oid]) => `delete ${ref} ${oid}\n`).join("");
    await runGit(repoDir, ["update-ref", "--stdin"], { input });
    return doomed.map(([ref]) => ref);
  });
}

/** The goals that have task branches `guild/<goal>/<task>` in the repository, sorted. */
export async function listGoalsWithBranches(repoDir: string): Promise<string[]> {
  const out = await runGit(repoDir, ["for-each-ref", "--format=%(refname)", "refs/heads/guild/"]);
  const ids = out.stdout
    .toString("utf8")
    .split("\n")
    .flatMap((ref) => /^refs\/heads\/guild\/([^/]+)\/[^/]+$/.exec(ref)?.[1] ?? []);
  return [...new Set(ids)].sort();
}
