import { runGit } from "./git-exec.js";
import { type IntegrationEntry, mergeStep } from "./integration-merge.js";
import { resolveCommit } from "./repo-facts.js";

/** Where a dependent task starts: its dependencies' heads merged onto the goal's base, or the conflict met. */
export type DependencyBase =
  | { kind: "merged"; head: string }
  | { kind: "conflict"; id: string; files: string[] };

/**
 * Merges the accepted heads of a task's dependencies onto the goal's base, in the order given, as the
 * integration branch will (merge-tree and commit-tree; no ref moves, no checkout): the commit a dependent
 * task starts from, so it builds on its dependencies' work instead of beside it. A head that already
 * builds on everything merged so far is taken as it is (a chain's last step holds the steps before it).
 */
export async function dependencyBase(
  repoDir: string,
  base: string,
  entries: readonly IntegrationEntry[],
): Promise<DependencyBase> {
  let head = await resolveCommit(repoDir, base);
  for (const entry of entries) {
    const theirs = await resolveCommit(repoDir, entry.head);
    const ahead = await runGit(repoDir, ["merge-base", "--is-ancestor", head, theirs], { okCodes: [1] });
    if (ahead.code === 0) {
      head = theirs;
      continue;
    }
    const step = await mergeStep(repoDir, head, entry);
    if (step.kind === "conflict") return { kind: "conflict", id: entry.id, files: step.files };
    if (step.kind === "merged") head = step.head;
  }
  return { kind: "merged", head };
}
