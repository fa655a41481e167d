import { GuildError } from "../protocol/index.js";
import { gitClient } from "./git-client.js";
import { gitText, runGit, splitNul } from "./git-exec.js";
import type { Workspace } from "./workspace.js";

/** Options of {@link commitWorkspace}. */
export interface CommitOptions {
  author?: { name: string; email: string };
  /** Appended as `Key: value` trailer lines. */
  trailers?: Record<string, string>;
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
  const git = gitClient(ws.dir, identity);
  await git.add(["-A"]);
  const staged = await runGit(ws.dir, ["diff", "--cached", "--quiet"], { okCodes: [1] });
  if (staged.code === 1) {
    // Hooks are the project's code, not the agent's; they run at review, not on every agent commit.
    await git.commit(withTrailers(message, opts.trailers ?? {}), undefined, { "--no-verify": null });
  }
  return workspaceState(ws);
}

/** The branch head, the number of commits since the base, and the paths changed since the base. */
export async function workspaceState(ws: Workspace): Promise<CommitResult> {
  const head = await gitText(ws.dir, ["rev-parse", "HEAD"]);
  const commits = Number(await gitText(ws.dir, ["rev-list", "--count", `${ws.baseCommit}..${head}`]));
  const diff = await runGit(ws.dir, ["diff", "--name-only", "-z", "--no-renames", ws.baseCommit, head]);
  return { head, commits, changedPaths: splitNul(diff.stdout) };
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
