import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitText, runGit } from "./git-exec.js";
import { salvageRef } from "./ref-names.js";

/** What a salvage kept: the ref and commit holding work that was not committed. */
export interface Salvaged {
  ref: string;
  commit: string;
}

/** Whether the worktree has changes that are neither committed nor ignored. */
export async function isDirty(dir: string): Promise<boolean> {
  const out = await runGit(dir, ["status", "--porcelain", "-z", "--untracked-files=all"]);
  return out.stdout.length > 0;
}

/**
 * Commits everything uncommitted in a worktree to a fresh `refs/guild/salvage/...` ref without
 * touching the worktree, its index or its branch; returns undefined when there is nothing to keep.
 */
export async function salvageWorktree(
  dir: string,
  ids: { goalId: string; taskId: string },
  reason: string,
): Promise<Salvaged | undefined> {
  if (!(await isDirty(dir))) return undefined;
  // A copy of the worktree's own index keeps sparse-checkout skip-worktree bits, so files that
  // are merely not checked out are not recorded as deleted.
  const scratch = mkdtempSync(join(tmpdir(), "guild-salvage-"));
  try {
    const index = join(scratch, "index");
    const env = { GIT_INDEX_FILE: index };
    const own = await gitText(dir, ["rev-parse", "--path-format=absolute", "--git-path", "index"]);
    if (existsSync(own)) copyFileSync(own, index);
    else await runGit(dir, ["read-tree", "HEAD"], { env });
    await runGit(dir, ["add", "-A"], { env });
    const tree = await gitText(dir, ["write-tree"], { env });
    const head = await gitText(dir, ["rev-parse", "HEAD"]);
    const message = `guild: salvage of ${ids.goalId}/${ids.taskId}\n\n${reason}\n`;
    const commit = await gitText(dir, ["commit-tree", tree, "-p", head, "-F", "-"], { input: message });
    const ref = salvageRef(ids.goalId, ids.taskId);
    await runGit(dir, ["update-ref", ref, commit, ""]);
    return { ref, commit };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
