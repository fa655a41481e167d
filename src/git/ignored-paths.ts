import { spawnSync } from "node:child_process";
import { gitCommandSync, gitSync } from "./git-exec.js";

/**
 * Whether the repository ignores `rel` in worktree `dir` (its .gitignore files, info/exclude, core.excludesFile);
 * a tracked file is never ignored. Synchronous: it guards one write at a time.
 */
export function isIgnoredPath(dir: string, rel: string): boolean {
  // Exit 0: ignored; 1: not ignored; anything else is git failing, which must not pass as "not ignored".
  const { args, env } = gitCommandSync(dir, ["check-ignore", "--quiet", "--", rel]);
  const result = spawnSync("git", args, { cwd: dir, env, encoding: "utf8" });
  if (result.status === 0) return true;
  // Outside any repository nothing is committed, so nothing is lost by ignoring.
  if (result.status === 1 || /not a git repository/i.test(result.stderr ?? "")) return false;
  throw new Error(`git check-ignore failed in ${dir} (status ${result.status})`);
}

/** Marks an ignored file for the next commit (`git add --force --intent-to-add`), so `add -A` keeps it. */
export function forceAddPath(dir: string, rel: string): void {
  gitSync(dir, ["add", "--force", "--intent-to-add", "--", rel]);
}
