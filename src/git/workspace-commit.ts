import { existsSync } from "node:fs";
import { join } from "node:path";
import { GuildError } from "../protocol/index.js";
import { gitText, runGit, splitNul } from "./git-exec.js";
import { rememberCommit } from "./repo-facts.js";
import type { Workspace } from "./workspace.js";

/** Options of {@link commitWorkspace}. */
export interface CommitOptions {
  author?: { name: string; email: string };
  /** Appended as `Key: value` trailer lines. */
  trailers?: Record<string, string>;
  /**
   * Only these worktree-relative paths are staged (added, or removed when gone); anything else another
   * process wrote into the worktree stays out of the commit. Unset stages everything.
   */
  paths?: readonly string[];
}

/** What a workspace holds beyond its base after a commit. */
export interface CommitResult {
  head: string;
  commits: number;
  changedPaths: string[];
}

/** Stages everything in the worktree and commits it; with nothing to commit, reports the branch as it is. */
export async function commitWorkspace(
  ws: Workspace,
  message: string,
  opts: CommitOptions = {},
): Promise<CommitResult> {
  const identity: Record<string, string> = opts.author
    ? { GIT_AUTHOR_NAME: opts.author.name, GIT_AUTHOR_EMAIL: opts.author.email }
    : {};
  await stage(ws.dir, opts.paths);
  // Hooks are the project's code, not the agent's; they run at review, not on every agent commit.
  const commit = await runGit(ws.dir, ["commit", "--no-verify", "--quiet", "-F", "-"], {
    input: withTrailers(message, opts.trailers ?? {}),
    env: identity,
    okCodes: [1],
  });
  // Exit 1 is also git's answer to a clean index; `diff --cached --quiet` says which (exit 0: nothing staged).
  const clean =
    commit.code === 1 && (await runGit(ws.dir, ["diff", "--cached", "--quiet"], { okCodes: [1] })).code === 0;
  if (commit.code === 1 && !clean) {
    throw new GuildError(
      "git.failed",
      `git commit failed: ${commit.stderr.trim() || commit.stdout.toString().trim()}`,
      {
        details: { dir: ws.dir, stderr: commit.stderr.slice(0, 4000) },
      },
    );
  }
  return workspaceState(ws);
}

async function stage(dir: string, paths: readonly string[] | undefined): Promise<void> {
  if (paths === undefined) {
    await runGit(dir, ["add", "-A"]);
    return;
  }
  // Literal pathspecs: a written name like `*.ts` or `:(glob)…` means that one file, nothing more.
  const env = { GIT_LITERAL_PATHSPECS: "1" };
  // The index back to HEAD first: whatever another process staged stays out too.
  await runGit(dir, ["reset", "-q"]);
  const present = paths.filter((p) => existsSync(join(dir, p)));
  const gone = paths.filter((p) => !present.includes(p));
  // --force: a listed path that the repository ignores was let through on purpose (`forceAddIgnored`).
  if (present.length > 0) await runGit(dir, ["add", "-A", "--force", "--", ...present], { env });
  if (gone.length > 0)
    await runGit(dir, ["rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", ...gone], { env });
}

/** The branch head, the number of commits since the base, and the paths changed since the base. */
export async function workspaceState(ws: Workspace): Promise<CommitResult> {
  const since = await gitText(ws.dir, ["rev-list", "HEAD", "--not", ws.baseCommit]);
  const ids = since === "" ? [] : since.split("\n");
  // rev-list lists newest first; with nothing new, HEAD is the base (or history the base contains).
  const head = ids[0] ?? (await gitText(ws.dir, ["rev-parse", "HEAD"]));
  if (ids.length === 0 && head === ws.baseCommit) return { head, commits: 0, changedPaths: [] };
  if (ids.length > 0) rememberCommit(ws.repoDir, head);
  const diff = await runGit(ws.dir, ["diff", "--name-only", "-z", "--no-renames", ws.baseCommit, head]);
  return { head, commits: ids.length, changedPaths: splitNul(diff.stdout) };
}

function withTrailers(message: string, trailers: Record<string, string>): string {
  const lines = Object.entries(trailers).map(([key, value]) => {
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(key) || /[\r\n]/.test(value)) {
      throw new GuildError("git.failed", `bad trailer ${JSON.stringify(key)}`, { details: { trailer: key } });
    }
    return `${key}: ${value}`;
  });
  const body = message.trimEnd();
  return lines.length === 0 ? body : `${body}\n\n${lines.join("\n")}`;
}
