import { spawnSync } from "node:child_process";
import { GuildError } from "../protocol/index.js";
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
  if (result.status === 1) return false;
  // Outside any repository nothing is committed, so nothing is lost by ignoring; git says where it is
  // by rev-parse's exit status (its message is translated, so it is not read).
  if (result.status === 128 && !insideRepository(dir)) return false;
  throw new GuildError("git.failed", `git check-ignore failed in ${dir} (status ${result.status})`, {
    details: {
      args: ["check-ignore", "--quiet", "--", rel],
      cwd: dir,
      stderr: (result.stderr ?? "").slice(0, 4000),
    },
  });
}

function insideRepository(dir: string): boolean {
  const { args, env } = gitCommandSync(dir, ["rev-parse", "--git-dir"]);
  return spawnSync("git", args, { cwd: dir, env, stdio: "ignore" }).status === 0;
}

/** Marks an ignored file for the next commit (`git add --force --intent-to-add`), so `add -A` keeps it. */
export function forceAddPath(dir: string, rel: string): void {
  gitSync(dir, ["add", "--force", "--intent-to-add", "--", rel]);
}
