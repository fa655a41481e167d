import { existsSync } from "node:fs";
import { join } from "node:path";
import { GuildError } from "../protocol/index.js";
import { gitText, runGit, splitNul } from "./git-exec.js";
import { rememberCommit } from "./repo-facts.js";
import type { Workspace } from "./workspace.js";
import { worktreeAdminDir } from "./workspace-create.js";
import { headCommit, looseCommitParents } from "./worktree-files.js";

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
  // Exit 1 with "nothing to commit" is the clean-tree answer; asking `diff --cached` first costs a process.
  const commit = await runGit(ws.dir, ["commit", "--no-verify", "--quiet", "-F", "-"], {
    input: withTrailers(message, opts.trailers ?? {}),
    env: identity,
    okCodes: [1],
  });
  if (commit.code === 1 && !/nothing (added )?to commit/.test(commit.stdout.toString())) {
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
  if (present.length > 0) await runGit(dir, ["add", "-A", "--", ...present], { env });
  if (gone.length > 0)
    await runGit(dir, ["rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", ...gone], { env });
}

/** The branch head, the number of commits since the base, and the paths changed since the base. */
export async function workspaceState(ws: Workspace): Promise<CommitResult> {
  const known = await stateFromFiles(ws);
  if (known) return known;
  const since = await gitText(ws.dir, ["rev-list", "HEAD", "--not", ws.baseCommit]);
  const ids = since === "" ? [] : since.split("\n");
  // rev-list lists newest first; with nothing new, HEAD is the base (or history the base contains).
  const head = ids[0] ?? (await gitText(ws.dir, ["rev-parse", "HEAD"]));
  if (ids.length > 0) rememberCommit(ws.repoDir, head);
  const diff = await runGit(ws.dir, ["diff", "--name-only", "-z", "--no-renames", ws.baseCommit, head]);
  return { head, commits: ids.length, changedPaths: splitNul(diff.stdout) };
}

// What an agent's task nearly always leaves, read from the worktree's git files instead of asking
// `rev-list`: HEAD still at the base, or one commit (just made, so a loose object) straight on it.
async function stateFromFiles(ws: Workspace): Promise<CommitResult | undefined> {
  let adminDir: string;
  try {
    adminDir = worktreeAdminDir(ws.dir);
  } catch {
    return undefined;
  }
  const head = headCommit(adminDir)?.oid;
  if (head === undefined) return undefined;
  if (head === ws.baseCommit) return { head, commits: 0, changedPaths: [] };
  const parents = looseCommitParents(adminDir, head);
  if (parents?.length !== 1 || parents[0] !== ws.baseCommit) return undefined;
  rememberCommit(ws.repoDir, head);
  const diff = await runGit(ws.dir, ["diff", "--name-only", "-z", "--no-renames", ws.baseCommit, head]);
  return { head, commits: 1, changedPaths: splitNul(diff.stdout) };
}

function withTrailers(message: string, trailers: Record<string, string>): string {
  const lines = Object.entries(trailers).map(([key, value]) => {
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(key) || /[\r\n]/.test(value)) {
      throw new GuildError("git.failed", `bad trailer ${JSON.stringify(key)}`, { details: { key } });
    }
    return `${key}: ${value}`;
  });
  const body = message.trimEnd();
  return lines.length === 0 ? body : `${body}\n\n${lines.join("\n")}`;
}
