import { removeWorkspace, type Workspace } from "../../git/index.js";
import { isGuildError } from "../../protocol/index.js";
import { gitEventReporter } from "./git-events.js";
import type { Assignment, PreparedWorkspace } from "./machine.js";
import { repoPlaceFor } from "./repo-place.js";
import type { StageDeps, StageState } from "./stage-types.js";

/** Finds the task's repository and switches the agent's worktree there to the task's branch at its base. */
export async function prepareWorkspace(
  deps: StageDeps,
  state: StageState,
  { assignment }: { assignment: Assignment },
): Promise<PreparedWorkspace> {
  const place = await repoPlaceFor(assignment, deps.bus.blobs, deps.home);
  state.place = place;
  const worktree = deps.worktreeFor(place.repoDir, place.worktreeRoot);
  const onEvent = gitEventReporter(deps.events, assignment.goalId);
  const task = {
    goalId: assignment.goalId,
    taskId: assignment.task.taskId,
    baseCommit: assignment.baseCommit,
    onEvent,
  };
  let ws: Workspace;
  try {
    ws = await worktree.switchTo(task);
  } catch (error) {
    // The claim is ours (fenced in KV), so another worktree on this task's branch belongs to a worker that
    // died or stalled: keep its uncommitted work on a salvage ref, remove it, and switch again.
    const stale = isGuildError(error, "git.failed") ? error.details?.dir : undefined;
    if (typeof stale !== "string") throw error;
    await removeWorkspace(
      { repoDir: place.repoDir, dir: stale },
      { salvage: true, reason: `taken over by ${deps.agentId} from a worker that stopped`, onEvent },
    );
    ws = await worktree.switchTo(task);
  }
  state.workspace = ws;
  await deps.events.emit(
    "workspace.ready",
    { taskId: assignment.task.taskId, dir: ws.dir, branch: ws.branch, sparse: false },
    assignment.goalId,
  );
  return { dir: ws.dir, branch: ws.branch, sparse: false };
}

/**
 * Releases the task's branch (the worktree stays for the agent's next task); its commits live on in
 * the bundle and on the branch, and anything left uncommitted by a failure goes to a salvage ref.
 */
export async function releaseWorkspace(deps: StageDeps, state: StageState): Promise<void> {
  const ws = state.workspace;
  state.workspace = undefined;
  if (!ws) return;
  await deps
    .worktreeFor(ws.repoDir, state.place?.worktreeRoot)
    .release({ salvage: !state.committed, onEvent: gitEventReporter(deps.events, ws.goalId) })
    .catch(() => undefined);
}

/**
 * Removes a cancelled task's worktree rather than reusing it (a brain still running past the grace may
 * write into it); what was not committed goes to a salvage ref, reported as an event.
 */
export async function discardWorkspace(deps: StageDeps, state: StageState, reason: string): Promise<void> {
  const ws = state.workspace;
  state.workspace = undefined;
  if (!ws) return;
  await deps
    .worktreeFor(ws.repoDir, state.place?.worktreeRoot)
    .remove({ reason, onEvent: gitEventReporter(deps.events, ws.goalId) });
}
