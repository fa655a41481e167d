import { type SimpleGit, simpleGit } from "simple-git";
import { gitEnv } from "./git-exec.js";

const IDENTITY_VARS = [
  "GIT_AUTHOR_NAME",
  "GIT_AUTHOR_EMAIL",
  "GIT_COMMITTER_NAME",
  "GIT_COMMITTER_EMAIL",
  "GIT_TERMINAL_PROMPT",
];

/** A simple-git client for porcelain verbs in `dir`, with guild's identity and no auto-gc. */
export function gitClient(dir: string, identity: Record<string, string> = {}): SimpleGit {
  return simpleGit({
    baseDir: dir,
    config: ["gc.auto=0", "maintenance.auto=false", "core.quotepath=false"],
    // simple-git strips GIT_* variables unless named; these are the ones guild sets on purpose.
    allowEnvironment: IDENTITY_VARS,
  }).env(minimal(gitEnv(identity)));
}

// simple-git refuses to pass editor/pager/askpass variables; git needs none of them here.
function minimal(env: Record<string, string>): Record<string, string> {
  const keep = new Set(["PATH", "HOME", "TMPDIR", "SYSTEMROOT", "LC_ALL", ...IDENTITY_VARS]);
  return Object.fromEntries(Object.entries(env).filter(([k]) => keep.has(k)));
}
