import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { claimTask } from "../../src/agents/specialist/claim.js";
import type { Bus } from "../../src/bus/index.js";
import { makeEnvelope, ProposalMessage, subjects } from "../../src/protocol/index.js";
import { git, writeFiles } from "./git-repo.js";

/**
 * Plays the agent of one dispatched task: commits `changes` on `base` in a worktree of `repo` (the
 * coordinator's repository, so no bundle is needed) and proposes them, as a local agent does. Used where a
 * test needs what guild's own agents never do, such as a change to a protected path.
 */
export async function proposeAsAgent(
  bus: Bus,
  repo: string,
  task: { goalId: string; taskId: string; role: string; attempt: number; base: string },
  changes: Record<string, string>,
): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "guild-agent-"));
  try {
    git(repo, "worktree", "add", "-q", "--detach", work, task.base);
    writeFiles(work, changes);
    git(work, "add", "-A");
    git(work, "commit", "-q", "-m", `${task.role}: ${task.taskId}`);
    const head = git(work, "rev-parse", "HEAD");
    const changedPaths = git(work, "diff", "--name-only", task.base, head).split("\n").filter(Boolean);
    const proposalId = `${task.taskId}-${task.attempt}`;
    const agentId = `${task.role}-1`;
    const message = ProposalMessage.parse(
      makeEnvelope({
        type: "proposal.submitted",
        source: agentId,
        goalId: task.goalId,
        payload: {
          proposalId,
          goalId: task.goalId,
          taskId: task.taskId,
          attempt: task.attempt,
          role: task.role,
          agentId,
          baseCommit: task.base,
          headCommit: head,
          bundleKey: null,
          sharedObjects: true,
          changedPaths,
          rationale: `played ${task.taskId}`,
          checks: [],
          usage: { inputTokens: 0, outputTokens: 0 },
          partial: false,
        },
      }),
    );
    // As an agent does, it holds the claim on its attempt and proposes on its own subject: review checks both.
    await claimTask(bus.kv, task.role, task.goalId, task.taskId, task.attempt, agentId, true, Date.now());
    await bus.enqueue("proposals", subjects.proposal(task.goalId, agentId), message, { msgId: proposalId });
    return head;
  } finally {
    git(repo, "worktree", "remove", "--force", work);
    rmSync(work, { recursive: true, force: true });
  }
}
