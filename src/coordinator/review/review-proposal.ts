import type { Bus } from "../../bus/index.js";
import {
  adoptProposal,
  type ImportedProposal,
  importBundle,
  proposalDiff,
  sameTree,
} from "../../git/index.js";
import type { Ownership } from "../../ownership/index.js";
import {
  declaredNoChange,
  isGuildError,
  type Proposal,
  proposalBundleKey,
  proposalHasCommits,
  proposalRefId,
  type TaskSpec,
} from "../../protocol/index.js";
import type { Decision, TaskRecord } from "../goal/index.js";
import { splitForeignChanges } from "./change-requests.js";

export type ReviewVerdict =
  | { kind: "accepted"; record: TaskRecord; reason: string; newTasks: TaskSpec[] }
  | { kind: "awaiting"; record: TaskRecord; decision: Decision; newTasks: TaskSpec[] }
  | { kind: "rejected"; reason: string; retry: boolean; head?: string }
  | { kind: "stale"; reason: string };

/**
 * Reviews a proposal independently of the agent's own checks: the attempt must be current, the bundle must
 * verify and import, and every path git says it changed must be writable by the proposer's role.
 */
export async function reviewProposal(
  proposal: Proposal,
  task: TaskRecord | undefined,
  deps: { bus: Bus; repo: string; ownership: Ownership },
): Promise<ReviewVerdict> {
  if (!task) return { kind: "stale", reason: `no task ${proposal.taskId} in this goal` };
  if ((task.status !== "dispatched" && task.status !== "proposed") || proposal.attempt !== task.attempt) {
    return {
      kind: "stale",
      reason: `attempt ${proposal.attempt} is not current (task is at attempt ${task.attempt}, ${task.status})`,
    };
  }
  if (proposal.role !== task.spec.role) {
    return {
      kind: "rejected",
      reason: `proposal from role ${proposal.role} for a ${task.spec.role} task`,
      retry: false,
    };
  }
  if (!proposalHasCommits(proposal)) {
    const again = await sentBackAgain(deps.repo, task, proposal);
    if (again) return again;
    // No silent success: an empty proposal passes only with the agent's reason why nothing was needed.
    const why = declaredNoChange(proposal.rationale);
    if (!why) {
      return {
        kind: "rejected",
        reason:
          'the proposal changes nothing and does not say why (an agent that finds nothing to change must say "No changes needed:" and the reason)',
        retry: true,
        head: proposal.headCommit,
      };
    }
    const reason = `no changes were needed: ${why}`;
    return {
      kind: "accepted",
      record: { ...task, status: "accepted", proposal, reason: `accepted: ${reason}` },
      reason,
      newTasks: [],
    };
  }
  const { config, matcher } = deps.ownership;
  const options = {
    proposalId: proposalRefId(proposal),
    baseCommit: task.base,
    isProtected: (path: string) => matcher.isProtected(path),
    // Imported so a person can see it: protected paths are held for a decision below, never merged unasked.
    approvedProtected: true,
    limits: { maxFileBytes: config.limits.maxFileBytes, maxTotalBytes: config.limits.maxBundleBytes },
  };
  let imported: ImportedProposal;
  try {
    if (proposal.sharedObjects) {
      // Its agent committed into this repository's object store: the same checks, without a bundle.
      imported = await adoptProposal(deps.repo, proposal.headCommit, options);
    } else {
      // Only under its own agent's key: a bundle another agent put there is not this proposal's.
      if (proposal.bundleKey !== proposalBundleKey(proposal))
        return {
          kind: "rejected",
          reason: `bundle key ${proposal.bundleKey} is not this proposal's (${proposalBundleKey(proposal)})`,
          retry: false,
        };
      const bundle = await deps.bus.blobs.get(proposal.bundleKey);
      if (!bundle)
        return {
          kind: "rejected",
          reason: `bundle ${proposal.bundleKey} is missing from the blob store`,
          retry: true,
        };
      imported = await importBundle(deps.repo, bundle, options);
    }
  } catch (error) {
    if (isGuildError(error, "git.bundle_rejected"))
      return { kind: "rejected", reason: error.message, retry: false };
    if (proposal.sharedObjects && isGuildError(error, "git.failed")) {
      return {
        kind: "rejected",
        reason: `the commits of ${proposal.headCommit} are not in the coordinator's repository: ${error.message}`,
        retry: true,
      };
    }
    throw error;
  }
  if (imported.head !== proposal.headCommit) {
    return {
      kind: "rejected",
      reason: `bundle head ${imported.head} does not match the proposal's ${proposal.headCommit}`,
      retry: false,
    };
  }
  const again = await sentBackAgain(deps.repo, task, proposal);
  if (again) return again;
  const changed = imported.changedPaths;
  const guarded = changed.filter((p) => matcher.isProtected(p));
  const foreign = changed.filter((p) => !matcher.isProtected(p) && !matcher.canWrite(proposal.role, p));
  let record: TaskRecord = {
    ...task,
    status: "accepted",
    proposal: { ...proposal, changedPaths: changed },
    ref: imported.ref,
    reason: `accepted: ${changed.length} path(s), all owned by ${proposal.role}`,
  };
  let newTasks: TaskSpec[] = [];
  let note = "";
  if (foreign.length > 0) {
    const owners = foreign
      .map((p) => `${p} (owner: ${matcher.rolesOf(p).join("/") || "unowned"})`)
      .join(", ");
    if (config.foreignWrites === "reject") {
      return {
        kind: "rejected",
        reason: `changes paths ${proposal.role} does not own: ${owners}`,
        retry: false,
      };
    }
    const split = await splitForeignChanges(
      deps.repo,
      proposal,
      task.base,
      foreign,
      matcher,
      config.defaultOwner,
    );
    newTasks = split.requests;
    note =
      `; changes to ${owners} sent to their owners as change requests` +
      (split.unowned.length > 0 ? `; dropped (no owner): ${split.unowned.join(", ")}` : "");
    const nothingLeft = split.keptPaths.length === 0;
    const { sharedObjects: _shared, ...rest } = proposal;
    record = {
      ...record,
      // Nothing of the proposer's own is left: the record brings no commits.
      proposal: nothingLeft
        ? { ...rest, headCommit: split.keptHead, changedPaths: split.keptPaths, bundleKey: null }
        : { ...proposal, headCommit: split.keptHead, changedPaths: split.keptPaths },
      reason: `accepted: ${split.keptPaths.length} path(s) owned by ${proposal.role}${note}`,
    };
  }
  if (guarded.length > 0) {
    const decision: Decision = {
      // Named after the proposal, so reviews running side by side never pick the same id.
      id: `${proposal.goalId}:${task.spec.taskId}-${proposal.attempt}`,
      kind: "protected",
      taskIds: [task.spec.taskId],
      paths: guarded,
      reason: `${proposal.role} changed protected paths: ${guarded.join(", ")}; a person must approve`,
      diff: await proposalDiff(deps.repo, task.base, proposal.headCommit, { paths: guarded }),
      createdAt: new Date().toISOString(),
    };
    return { kind: "awaiting", record: { ...record, status: "awaiting" }, decision, newTasks };
  }
  return { kind: "accepted", record, reason: record.reason?.replace(/^accepted: /, "") ?? "", newTasks };
}

/**
 * A proposal with the same tree as the one last sent back would only be sent back again: the task fails
 * instead of burning another round. Its head must be in the repository (imported or shared) by now.
 */
async function sentBackAgain(
  repo: string,
  task: TaskRecord,
  proposal: Proposal,
): Promise<ReviewVerdict | undefined> {
  // An empty proposal that now says why no change was needed answers what sent it back: it is reviewed.
  if (!task.sentBackHead || declaredNoChange(proposal.rationale)) return undefined;
  if (!(await sameTree(repo, task.sentBackHead, proposal.headCommit))) return undefined;
  const why = (task.reason ?? "sent back").split("\n")[0]?.slice(0, 300);
  return {
    kind: "rejected",
    reason: `attempt ${proposal.attempt} proposes the same tree as the proposal sent back before (${why}); not retried`,
    retry: false,
  };
}
