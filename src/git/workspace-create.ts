import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { GuildError } from "../protocol/index.js";
import { runGit } from "./git-exec.js";
import { salvageRef, taskBranch } from "./ref-names.js";
import { gitPath, resolveCommit } from "./repo-facts.js";
import { withRepoLock } from "./repo-lock.js";
import { isDirty } from "./salvage.js";
import type { GitEventListener, Workspace } from "./workspace.js";
import { DEPENDENCY_EXCLUDES, linkDependencies, worktreeRoot } from "./worktree-home.js";

/** Options of {@link createWorkspace}. */
export interface CreateWorkspaceOptions {
  repoDir: string;
  goalId: string;
  taskId: string;
  baseCommit: string;
  /** Where worktrees live; default the repository's folder under the guild home (`worktreeRoot`). */
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
  const root = resolve(opts.root ?? worktreeRoot(repoDir));
  const dir = join(root, opts.goalId, opts.taskId);
  const sparse = opts.sparse;

  await withRepoLock(repoDir, async () => {
    if (!opts.root) ignoreGuildDir(await gitPath(repoDir, "--git-common-dir"));
    const { tip, holder } = await branchState(repoDir, branch);
    if (holder && existsSync(holder)) throw heldElsewhere(branch, holder);
    // Registered for a directory that is gone: only git's bookkeeping holds the branch.
    if (holder) await runGit(repoDir, ["worktree", "prune"]);
    if (existsSync(dir))
      throw new GuildError("git.failed", `workspace directory exists: ${dir}`, { details: { dir } });
    mkdirSync(dirname(dir), { recursive: true });
    await keepEarlierAttempt(repoDir, opts, baseCommit, tip);
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
  linkDependencies(repoDir, dir);
  recordBase(worktreeAdminDir(dir), baseCommit);
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

/** Where a task branch points and which worktree has it checked out, from one `for-each-ref`. */
export async function branchState(
  repoDir: string,
  branch: string,
): Promise<{ tip: string | undefined; holder: string | undefined }> {
  const out = await runGit(repoDir, [
    "for-each-ref",
    "--format=%(objectname)%00%(worktreepath)",
    `refs/heads/${branch}`,
  ]);
  const [tip, holder] = out.stdout.toString("utf8").trim().split("\0");
  return { tip: tip || undefined, holder: holder || undefined };
}

/** The error a caller taking over a stale worktree recognises: `details.dir` names the holder. */
export function heldElsewhere(branch: string, dir: string): GuildError {
  return new GuildError("git.failed", `branch ${branch} is already checked out at ${dir}`, {
    details: { branch, dir },
  });
}

/**
 * Before `-B` resets a task branch, keeps the commits of an earlier attempt that the new base does
 * not contain under a salvage ref, and tells the caller; `tip` is where the branch points now.
 */
export async function keepEarlierAttempt(
  repoDir: string,
  task: { goalId: string; taskId: string; onEvent?: GitEventListener | undefined },
  baseCommit: string,
  tip: string | undefined,
): Promise<void> {
  if (tip === undefined || tip === baseCommit) return;
  const contained = await runGit(repoDir, ["merge-base", "--is-ancestor", tip, baseCommit], { okCodes: [1] });
  if (contained.code === 0) return;
  const ref = salvageRef(task.goalId, task.taskId);
  await runGit(repoDir, ["update-ref", ref, tip, ""]);
  task.onEvent?.({
    type: "workspace.salvaged",
    payload: {
      goalId: task.goalId,
      taskId: task.taskId,
      dir: "",
      ref,
      commit: tip,
      reason: "branch of an earlier attempt reset to a new base",
    },
  });
}

/**
 * The worktree's own git directory (`.git/worktrees/<name>`), read from its `.git` file rather
 * than asked of git: a process spawn costs milliseconds of a large process's event loop.
 */
export function worktreeAdminDir(dir: string): string {
  const text = readFileSync(join(dir, ".git"), "utf8");
  const m = /^gitdir: (.+)$/m.exec(text);
  if (!m?.[1]) {
    throw new GuildError("git.failed", `${dir} is not a linked worktree`, { details: { dir } });
  }
  const gitdir = m[1].trim();
  return isAbsolute(gitdir) ? gitdir : resolve(dir, gitdir);
}

/** Records, in the worktree's admin dir, the base commit a task started from, for recovery after a crash. */
export function recordBase(adminDir: string, baseCommit: string): void {
  writeFileSync(join(adminDir, BASE_FILE), `${baseCommit}\n`);
}

/** Reads the base commit recorded when the worktree was created, if any. */
export async function recordedBase(dir: string): Promise<string | undefined> {
  const file = join(worktreeAdminDir(dir), BASE_FILE);
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

/**
 * Keeps guild's files out of `git status` and out of agents' commits: `.guild/` (the NATS store of a
 * `guild up` run in the checkout) and the dependency links of worktrees.
 */
export function ignoreGuildDir(commonDir: string): void {
  const exclude = join(commonDir, "info", "exclude");
  const text = existsSync(exclude) ? readFileSync(exclude, "utf8") : "";
  const have = new Set(text.split("\n"));
  const missing = ["/.guild/", ...DEPENDENCY_EXCLUDES].filter((line) => !have.has(line));
  if (missing.length === 0) return;
  mkdirSync(dirname(exclude), { recursive: true });
  appendFileSync(exclude, `${text === "" || text.endsWith("\n") ? "" : "\n"}${missing.join("\n")}\n`);
}
