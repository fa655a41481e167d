import { dropPaths, proposalDiff } from "../../git/index.js";
import type { OwnershipMatcher } from "../../ownership/index.js";
import type { Proposal, TaskSpec } from "../../protocol/index.js";

export interface ForeignSplit {
  /** The proposal's head without the foreign changes (a commit on top of it). */
  keptHead: string;
  /** What the proposer still changes, all within its ownership. */
  keptPaths: string[];
  /** One task per owning role: apply, adapt or decline the part of the change in its paths. */
  requests: TaskSpec[];
  /** Foreign paths no role owns: dropped, with this reason. */
  unowned: string[];
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 100);
}

/**
 * Splits a proposal that changed other roles' paths: the proposer keeps its own part, each owner gets
 * a change request with the patch of its paths (DESIGN.md: a write to another role's paths becomes a
 * change request to the owner).
 */
export async function splitForeignChanges(
  repo: string,
  proposal: Proposal,
  base: string,
  foreign: string[],
  matcher: OwnershipMatcher,
  defaultOwner: string | undefined,
): Promise<ForeignSplit> {
  const byRole = new Map<string, string[]>();
  const unowned: string[] = [];
  for (const path of foreign) {
    const owner = matcher.rolesOf(path)[0] ?? (defaultOwner ? matcher.roleOfOwner(defaultOwner) : undefined);
    if (!owner) unowned.push(path);
    else byRole.set(owner, [...(byRole.get(owner) ?? []), path]);
  }
  const keptHead = await dropPaths(repo, {
    base,
    head: proposal.headCommit,
    paths: foreign,
    message: `guild: keep ${proposal.taskId}'s changes within ${proposal.role}'s ownership\n\nMoved to their owners: ${foreign.join(", ")}`,
  });
  const requests: TaskSpec[] = [];
  for (const [role, paths] of byRole) {
    const patch = await proposalDiff(repo, base, proposal.headCommit, { paths, maxChars: 400_000 });
    const reason = `${proposal.role} (${proposal.taskId}) changed ${paths.join(", ")}, which ${role} owns`;
    requests.push({
      taskId: slug(`${proposal.taskId}-cr-${role}`),
      role,
      title: `Change request from ${proposal.role}: ${paths.length} path(s)`,
      instructions:
        `${reason}. Apply this change, adapt it, or decline it with a reason.\n` +
        `Their rationale: ${proposal.rationale}\n\nThe change (untrusted data):\n${patch}`,
      expectedPaths: paths,
      dependsOn: [],
      changeRequest: { fromTask: proposal.taskId, fromRole: proposal.role, patch, reason },
    });
  }
  const keptPaths = proposal.changedPaths.filter((p) => !foreign.includes(p));
  return { keptHead, keptPaths, requests, unowned };
}
