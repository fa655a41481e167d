import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { GuildError } from "../protocol/index.js";
import { gitText, runGit } from "./git-exec.js";
import { salvageRef, taskBranch } from "./ref-names.js";
import { gitPath, resolveCommit } from "./repo-facts.js";
import { withRepoLock } from "./repo-lock.js";
import { isDirty } from "./salvage.js";
import type { GitEventListener, Workspace } from "./workspace.js";
import { listWorktrees } from "./worktree-list.js";

/** Options of {@link createWorkspace}. */
export interface CreateWorkspaceOptions {
  repoDir: string;
  goalId: string;
  taskId: string;
  baseCommit: string;
  /** Where worktrees live; default `<repoDir>/.guild/worktrees`. */
  root?: string;
  /** Gitignore-style path patterns (owned plus context paths); only these are checked out. */
  sparse?: string[];
  onEvent?: GitEventListener;
}

const BASE_FILE = "guild-base";

/** Creates a task's worktree on `guild/<goal>/<task>` from the base commit, sparse when patterns are given. */
export async function createWorkspace(opts: CreateWorkspaceOptions): Promise<Workspace> {
  const repoDir = resolve(opts.repoDir);
  const branch = taskBranch(opts.goalId, opts.taskId);
  const baseCommit = await resolveCommit(repoDir, opts.baseCommit);
  const root = resolve(opts.root ?? join(repoDir, ".guild", "worktrees"));
  const dir = join(root, opts.goalId, opts.taskId);
  const sparse = opts.sparse;

  await withRepoLock(repoDir, async () => {
    if (!opts.root) ignoreGuildDir(await gitPath(repoDir, "--git-common-dir"));
    const holder = (await listWorktrees(repoDir)).find((w) => w.branch === `refs/heads/${branch}`);
    if (holder && !holder.missing) {
      throw new GuildError("git.failed", `branch ${branch} is already checked out at ${holder.dir}`, {
        details: { branch, dir: holder.dir },
      });
    }
    if (holder) await runGit(repoDir, ["worktree", "prune"]);
    if (existsSync(dir))
      throw new GuildError("git.failed", `workspace directory exists: ${dir}`, { details: { dir } });
    mkdirSync(dirname(dir), { recursive: true });
    await keepEarlierAttempt(repoDir, opts, baseCommit);
    // -B: a branch left by an earlier attempt is reset to the new base; its commits stay reachable
    // from the reflog and from any proposal imported from it.
    const add = [
      "worktree",
      "add",
      "--quiet",
      ...(sparse ? ["--no-checkout"] : []),
      "-B",
      branch,
      dir,
      baseCommit,
    ];
    await runGit(repoDir, add);
    // Sparse checkout turns on extensions.worktreeConfig in the shared config: a repository-level write.
    if (sparse)
      await runGit(dir, ["sparse-checkout", "set", "--no-cone", "--stdin"], { input: sparseInput(sparse) });
  });
  // Filling the worktree is the agent's own cost and touches only its own index, so it runs unlocked.
  if (sparse) await runGit(dir, ["read-tree", "-mu", "HEAD"]);
  const adminDir = await gitText(dir, ["rev-parse", "--absolute-git-dir"]);
  writeFileSync(join(adminDir, BASE_FILE), `${baseCommit}\n`);
  return {
    repoDir,
    dir,
    branch,
    goalId: opts.goalId,
    taskId: opts.taskId,
    baseCommit,
    ...(sparse ? { sparse } : {}),
  };
}

// -B below resets an existing branch; commits of an earlier attempt that the new base does not
// contain are kept under a salvage ref first, and the caller is told.
async function keepEarlierAttempt(
  repoDir: string,
  opts: CreateWorkspaceOptions,
  baseCommit: string,
): Promise<void> {
  const branch = taskBranch(opts.goalId, opts.taskId);
  const found = await runGit(repoDir, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], {
    okCodes: [1],
  });
  const old = found.stdout.toString().trim();
  if (found.code !== 0 || old === "" || old === baseCommit) return;
  const contained = await runGit(repoDir, ["merge-base", "--is-ancestor", old, baseCommit], { okCodes: [1] });
  if (contained.code === 0) return;
  const ref = salvageRef(opts.goalId, opts.taskId);
  await runGit(repoDir, ["update-ref", ref, old, ""]);
  opts.onEvent?.({
    type: "workspace.salvaged",
    payload: {
      goalId: opts.goalId,
      taskId: opts.taskId,
      dir: "",
      ref,
      commit: old,
      reason: "branch of an earlier attempt reset to a new base",
    },
  });
}

/** Reads the base commit recorded when the worktree was created, if any. */
export async function recordedBase(dir: string): Promise<string | undefined> {
  const adminDir = await gitText(dir, ["rev-parse", "--absolute-git-dir"]);
  const file = join(adminDir, BASE_FILE);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

/** Whether a workspace directory exists and has uncommitted changes. */
export async function workspaceDirty(dir: string): Promise<boolean> {
  return existsSync(dir) && (await isDirty(dir));
}

function sparseInput(patterns: string[]): string {
  for (const p of patterns) {
    if (p.includes("\n") || p.trim() === "") {
      throw new GuildError("git.failed", `bad sparse pattern ${JSON.stringify(p)}`, {
        details: { pattern: p },
      });
    }
  }
  // With no patterns the agent still gets the top-level files (README, package.json), as in cone mode.
  return `${(patterns.length > 0 ? patterns : ["/*", "!/*/"]).join("\n")}\n`;
}

// The default root is inside the user's checkout; keep it out of their `git status`.
function ignoreGuildDir(commonDir: string): void {
  const exclude = join(commonDir, "info", "exclude");
  const text = existsSync(exclude) ? readFileSync(exclude, "utf8") : "";
  if (text.split("\n").includes("/.guild/")) return;
  mkdirSync(dirname(exclude), { recursive: true });
  appendFileSync(exclude, `${text === "" || text.endsWith("\n") ? "" : "\n"}/.guild/\n`);
}
