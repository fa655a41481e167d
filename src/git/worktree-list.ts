import { existsSync } from "node:fs";
import { runGit, splitNul } from "./git-exec.js";

/** One entry of `git worktree list --porcelain`. */
export interface WorktreeEntry {
  dir: string;
  head?: string;
  /** Full ref name, e.g. `refs/heads/guild/g1/t1`; absent when detached. */
  branch?: string;
  bare: boolean;
  locked: boolean;
  /** The directory is gone; git would prune the entry. */
  missing: boolean;
}

/** Lists the repository's worktrees, the main one first. */
export async function listWorktrees(repoDir: string): Promise<WorktreeEntry[]> {
  const out = await runGit(repoDir, ["worktree", "list", "--porcelain", "-z"]);
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const field of splitNul(out.stdout)) {
    if (field === "") {
      current = undefined;
      continue;
    }
    const space = field.indexOf(" ");
    const key = space < 0 ? field : field.slice(0, space);
    const value = space < 0 ? "" : field.slice(space + 1);
    if (key === "worktree") {
      current = { dir: value, bare: false, locked: false, missing: !existsSync(value) };
      entries.push(current);
    } else if (current) {
      if (key === "HEAD") current.head = value;
      else if (key === "branch") current.branch = value;
      else if (key === "bare") current.bare = true;
      else if (key === "locked") current.locked = true;
      else if (key === "prunable") current.missing = true;
    }
  }
  return entries;
}
