import { commitWorkspace, exportBundle, type Workspace } from "../../git/index.js";
import {
  GuildError,
  makeEnvelope,
  type Proposal,
  ProposalMessage,
  proposalBundleKey,
  proposalRefId,
  subjects,
} from "../../protocol/index.js";
import type { Assignment, PreparedWorkspace, WorkOutcome } from "./machine.js";
import type { StageDeps, StageState } from "./stage-types.js";

/**
 * Commits what the task's tools wrote, ships the commits (as a bundle in the blob store, unless the
 * coordinator shares this repository's objects) and enqueues the proposal for review.
 */
export async function propose(
  deps: StageDeps,
  state: StageState,
  { assignment, outcome }: { assignment: Assignment; workspace: PreparedWorkspace; outcome: WorkOutcome },
): Promise<Proposal> {
  const { agentId, role, events } = deps;
  const ws = state.workspace as Workspace;
  const taskId = assignment.task.taskId;
  const committed = await commitWorkspace(ws, `${role}: ${assignment.task.title}`, {
    author: { name: `guild ${role}`, email: `${agentId}@guild.local` },
    trailers: { "Guild-Task": taskId, "Guild-Role": role, "Guild-Attempt": String(assignment.attempt) },
    // What went through this agent's tools, and nothing another process wrote into its worktree.
    ...(state.written ? { paths: state.written() } : {}),
  });
  state.committed = true;
  if (committed.changedPaths.length === 0 && (outcome.wrote?.length ?? 0) > 0) {
    // The brain changed files but the commit holds none of it: success here would lose the work unseen.
    throw new GuildError(
      "git.failed",
      `the task reported ${outcome.wrote?.length} write(s) (${outcome.wrote?.join("; ")}) but its commit holds no change; nothing was proposed`,
      { details: { taskId, wrote: outcome.wrote } },
    );
  }
  const proposalId = `${taskId}-${assignment.attempt}`;
  let bundleKey: string | null = null;
  // In a worktree of the coordinator's own repository the commits are already where it reads them.
  const shared = committed.commits > 0 && state.place?.shared === true;
  if (committed.commits > 0 && !shared) {
    const bundle = await exportBundle(ws.repoDir, {
      base: assignment.baseCommit,
      head: committed.head,
      ref: proposalRefId({ goalId: assignment.goalId, proposalId }),
    });
    bundleKey = proposalBundleKey({
      goalId: assignment.goalId,
      taskId,
      attempt: assignment.attempt,
      agentId,
    });
    await deps.bus.blobs.put(bundleKey, bundle);
  }
  const proposal: Proposal = {
    proposalId,
    goalId: assignment.goalId,
    taskId,
    attempt: assignment.attempt,
    role,
    agentId,
    baseCommit: assignment.baseCommit,
    headCommit: committed.head,
    bundleKey,
    ...(shared ? { sharedObjects: true as const } : {}),
    changedPaths: committed.changedPaths,
    rationale: outcome.summary || "(no summary)",
    checks: [],
    usage: { inputTokens: outcome.inputTokens, outputTokens: outcome.outputTokens },
    partial: outcome.budgetExceeded !== undefined,
  };
  const message = ProposalMessage.parse(
    makeEnvelope({
      type: "proposal.submitted",
      source: agentId,
      goalId: assignment.goalId,
      payload: proposal,
    }),
  );
  // Persisted (JetStream) before the task is acked; the message id drops duplicates of this attempt,
  // and names the goal: another goal's task of the same id is not a duplicate.
  await deps.bus.enqueue("proposals", subjects.proposal(assignment.goalId, agentId), message, {
    msgId: `${proposal.goalId}.${proposal.proposalId}`,
  });
  await events.emit(
    "proposal.published",
    { taskId, proposalId, changedPaths: proposal.changedPaths, commits: committed.commits },
    assignment.goalId,
  );
  return proposal;
}
