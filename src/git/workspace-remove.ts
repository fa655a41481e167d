import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { GuildError } from "../protocol/index.js";
import { runGit } from "./git-exec.js";
import { parseTaskBranch } from "./ref-names.js";
import { withRepoLock } from "./repo-lock.js";
import { isDirty, type Salvaged, salvageWorktree } from "./salvage.js";
import type { GitEventListener, Workspace } from "./workspace.js";
import { removeEmptyParents } from "./worktree-home.js";
import { listWorktrees } from "./worktree-list.js";

/** Options of {@link removeWorkspace}. */
export interface RemoveOptions {
  /** Keep uncommitted work under a salvage ref first (default true); false discards it on purpose. */
  salvage?: boolean;
  /** Also delete the task branch (default false: its commits may be a proposal not yet imported). */
  deleteBranch?: boolean;
  reason?: string;
  onEvent?: GitEventListener;
}

/** Removes a task's worktree; uncommitted work is salvaged to a ref (and reported) unless told otherwise. */
export async function removeWorkspace(
  target: Workspace | { repoDir: string; dir: string },
  opts: RemoveOptions = {},
): Promise<Salvaged | undefined> {
  const repoDir = resolve(target.repoDir);
  const dir = resolve(target.dir);
  const entry = (await listWorktrees(repoDir)).find((w) => resolve(w.dir) === dir);
  const ids = "goalId" in target ? target : entry?.branch ? parseTaskBranch(entry.branch) : undefined;
  let salvaged: Salvaged | undefined;
  if (opts.salvage !== false && !ids && existsSync(dir) && (await isDirty(dir))) {
    throw new GuildError("git.failed", `${dir} is not a guild workspace and has uncommitted changes`, {
      details: { dir },
    });
  }
  if (opts.salvage !== false && ids && existsSync(dir)) {
    const reason = opts.reason ?? "workspace removed with uncommitted changes";
    salvaged = await salvageWorktree(dir, ids, reason);
    if (salvaged) {
      opts.onEvent?.({ type: "workspace.salvaged", payload: { ...pick(ids), dir, ...salvaged, reason } });
    }
  }
  await withRepoLock(repoDir, async () => {
    if (entry && existsSync(dir)) await runGit(repoDir, ["worktree", "remove", "--force", "--force", dir]);
    else await runGit(repoDir, ["worktree", "prune"]);
    if (opts.deleteBranch && entry?.branch) {
      await runGit(repoDir, ["update-ref", "-d", entry.branch]);
    }
  });
  removeEmptyParents(dir);
  return salvaged;
}

function pick(ids: { goalId: string; taskId: string }): { goalId: string; taskId: string } {
  return { goalId: ids.goalId, taskId: ids.taskId };
}
