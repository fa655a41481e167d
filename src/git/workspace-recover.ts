import { resolve } from "node:path";
import { gitText, runGit } from "./git-exec.js";
import { parseTaskBranch } from "./ref-names.js";
import { withRepoLock } from "./repo-lock.js";
import type { Salvaged } from "./salvage.js";
import type { GitEventListener, Workspace } from "./workspace.js";
import { recordedBase } from "./workspace-create.js";
import { removeWorkspace } from "./workspace-remove.js";
import { listWorktrees } from "./worktree-list.js";

/** Options of {@link recoverWorkspaces}. */
export interface RecoverOptions {
  /** Whether the task still runs here and should get its workspace back. */
  isLive: (goalId: string, taskId: string) => boolean;
  onEvent?: GitEventListener;
}

/** What recovery found: workspaces handed back, entries removed, and work kept under salvage refs. */
export interface RecoveryReport {
  reattached: Workspace[];
  pruned: { dir: string; goalId: string; taskId: string; reason: string }[];
  salvaged: (Salvaged & { goalId: string; taskId: string; dir: string })[];
}

/**
 * Finds guild workspaces left by a crash; reattaches live tasks' ones and removes the rest, salvaging
 * uncommitted work. An agent's reused worktree (`agents/<agent>`) left on a task branch is handled
 * like a task's; one on no branch is idle and left alone: its agent adopts it on its next task and
 * salvages whatever it finds there first, and `Specialist.stop()` removes it.
 */
export async function recoverWorkspaces(repoDir: string, opts: RecoverOptions): Promise<RecoveryReport> {
  const repo = resolve(repoDir);
  const report: RecoveryReport = { reattached: [], pruned: [], salvaged: [] };
  const emit = opts.onEvent ?? (() => {});
  for (const entry of (await listWorktrees(repo)).slice(1)) {
    const ids = entry.branch ? parseTaskBranch(entry.branch) : undefined;
    // Not a task's: the user's own worktrees, and idle agent worktrees (detached between tasks).
    if (!ids || !entry.branch || entry.locked) continue;
    const dir = entry.dir;
    if (entry.missing) {
      // The directory is gone, and any uncommitted work with it; only git's bookkeeping is left.
      const reason = "worktree directory no longer exists";
      await withRepoLock(repo, () => runGit(repo, ["worktree", "prune"]));
      report.pruned.push({ dir, ...ids, reason });
      emit({ type: "workspace.pruned", payload: { dir, ...ids, reason } });
      continue;
    }
    if (opts.isLive(ids.goalId, ids.taskId)) {
      const baseCommit = (await recordedBase(dir)) ?? (await gitText(dir, ["rev-parse", "HEAD"]));
      const branch = entry.branch.replace(/^refs\/heads\//, "");
      report.reattached.push({ repoDir: repo, dir, branch, ...ids, baseCommit });
      emit({ type: "workspace.reattached", payload: { dir, branch, ...ids } });
      continue;
    }
    const reason = "task is no longer live after a restart";
    const salvaged = await removeWorkspace({ repoDir: repo, dir }, { reason, onEvent: emit });
    if (salvaged) report.salvaged.push({ ...salvaged, ...ids, dir });
    report.pruned.push({ dir, ...ids, reason });
    emit({ type: "workspace.pruned", payload: { dir, ...ids, reason } });
  }
  return report;
}
