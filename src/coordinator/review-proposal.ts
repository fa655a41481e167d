import type { Bus } from "../bus/index.js";
import { importBundle } from "../git/index.js";
import type { Ownership } from "../ownership/index.js";
import { isGuildError, type Proposal, proposalRefId } from "../protocol/index.js";
import type { TaskRecord } from "./goal-types.js";

export type ReviewVerdict =
  | { kind: "accepted"; record: TaskRecord; reason: string }
  | { kind: "rejected"; reason: string; retry: boolean }
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
  if (task.status !== "dispatched" || proposal.attempt !== task.attempt) {
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
  if (proposal.bundleKey === null) {
    return {
      kind: "accepted",
      record: { ...task, status: "accepted", proposal, reason: "accepted: no changes were needed" },
      reason: "no changes were needed",
    };
  }
  const bundle = await deps.bus.blobs.get(proposal.bundleKey);
  if (!bundle)
    return {
      kind: "rejected",
      reason: `bundle ${proposal.bundleKey} is missing from the blob store`,
      retry: true,
    };
  const { config, matcher } = deps.ownership;
  let imported: { ref: string; head: string; changedPaths: string[] };
  try {
    imported = await importBundle(deps.repo, bundle, {
      proposalId: proposalRefId(proposal),
      baseCommit: task.base,
      isProtected: (path) => matcher.isProtected(path),
      approvedProtected: false,
      limits: { maxFileBytes: config.limits.maxFileBytes, maxTotalBytes: config.limits.maxBundleBytes },
    });
  } catch (error) {
    if (isGuildError(error, "git.bundle_rejected"))
      return { kind: "rejected", reason: error.message, retry: false };
    throw error;
  }
  if (imported.head !== proposal.headCommit) {
    return {
      kind: "rejected",
      reason: `bundle head ${imported.head} does not match the proposal's ${proposal.headCommit}`,
      retry: false,
    };
  }
  const foreign = imported.changedPaths.filter((p) => !matcher.canWrite(proposal.role, p));
  if (foreign.length > 0) {
    const owners = foreign
      .map((p) => `${p} (owner: ${matcher.rolesOf(p).join("/") || "unowned"})`)
      .join(", ");
    return {
      kind: "rejected",
      reason: `changes paths ${proposal.role} does not own: ${owners}`,
      retry: false,
    };
  }
  return {
    kind: "accepted",
    record: {
      ...task,
      status: "accepted",
      proposal: { ...proposal, changedPaths: imported.changedPaths },
      ref: imported.ref,
      reason: `accepted: ${imported.changedPaths.length} path(s), all owned by ${proposal.role}`,
    },
    reason: `${imported.changedPaths.length} path(s), all owned by ${proposal.role}`,
  };
}
