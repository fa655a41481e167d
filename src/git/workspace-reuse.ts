import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isGuildError } from "../protocol/index.js";
import { runGit } from "./git-exec.js";
import { parseTaskBranch, taskBranch } from "./ref-names.js";
import { gitPath, isFullOid, resolveCommit } from "./repo-facts.js";
import { withRepoLock } from "./repo-lock.js";
import { type Salvaged, salvageWorktree } from "./salvage.js";
import type { GitEventListener, Workspace } from "./workspace.js";
import {
  branchState,
  heldElsewhere,
  ignoreGuildDir,
  keepEarlierAttempt,
  recordBase,
  worktreeAdminDir,
} from "./workspace-create.js";
import { linkDependencies, removeEmptyParents, worktreeRoot } from "./worktree-home.js";
import { listWorktrees } from "./worktree-list.js";

/** A task to switch an agent's worktree to. */
export interface SwitchOptions {
  goalId: string;
  taskId: string;
  baseCommit: string;
  onEvent?: GitEventListener;
}

/** Options of {@link AgentWorktree.release} and {@link AgentWorktree.remove}. */
export interface ReleaseOptions {
  /** Keep uncommitted work under a salvage ref first (default true); false when the task committed it all. */
  salvage?: boolean;
  reason?: string;
  onEvent?: GitEventListener;
}

// The task last switched to, in the worktree's admin dir: who owns leftovers once HEAD is detached.
const TASK_FILE = "guild-task";
// In-progress operations `checkout` leaves behind (it drops merge and cherry-pick state itself); a
// CLI brain stopped mid-rebase would otherwise hand the rebase to the next task.
const OPERATION_STATE = ["rebase-merge", "rebase-apply", "REBASE_HEAD", "sequencer"];

/** A directory name for an agent id: the id itself when safe, else a cleaned form with a hash to keep ids apart. */
export function agentDirName(agentId: string): string {
  if (/^[A-Za-z0-9_-]{1,64}$/.test(agentId)) return agentId;
  const clean = agentId.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 48);
  return `${clean}-${createHash("sha256").update(agentId).digest("hex").slice(0, 10)}`;
}

/**
 * One agent's worktree in one repository, `<worktreeRoot(repo)>/agents/<agent>`, kept for the
 * agent's lifetime and switched from task to task. Only creating and removing it take the
 * repository lock; a switch touches nothing but the worktree's own index and HEAD and the task's
 * branch, and costs three or four git processes where a fresh worktree cost about nine.
 * @example
 * const wt = new AgentWorktree({ repoDir, agentId: "frontend-1" });
 * const ws = await wt.switchTo({ goalId, taskId, baseCommit });
 * // ... work and commit in ws.dir ...
 * await wt.release({ salvage: false });
 */
export class AgentWorktree {
  readonly repoDir: string;
  readonly dir: string;
  readonly #defaultRoot: boolean;
  #adminDir: string | undefined;
  // Nothing in the worktree is worth keeping: just created, or released by this process.
  #settled = false;

  constructor(opts: { repoDir: string; agentId: string; root?: string }) {
    this.repoDir = resolve(opts.repoDir);
    this.#defaultRoot = opts.root === undefined;
    const root = resolve(opts.root ?? join(worktreeRoot(this.repoDir), "agents"));
    this.dir = join(root, agentDirName(opts.agentId));
  }

  /**
   * Puts the worktree on `guild/<goal>/<task>` at the base commit, with nothing of the previous
   * task left (tracked, untracked or ignored). Leftover uncommitted work is salvaged to the previous
   * task's ref first; throws `git.failed` with `details.dir` when another worktree holds the branch.
   */
  async switchTo(task: SwitchOptions): Promise<Workspace> {
    const branch = taskBranch(task.goalId, task.taskId);
    // A full id for a worktree that is there needs no git process of its own: the checkout refuses
    // anything but a commit, and only then is git asked what the id names, for a clear error.
    const checkedLater = isFullOid(task.baseCommit) && (await this.#current()) !== undefined;
    const baseCommit = checkedLater ? task.baseCommit : await resolveCommit(this.repoDir, task.baseCommit);
    const adminDir = await this.#ensure(baseCommit);
    if (!this.#settled) {
      await this.#keepLeftovers(
        adminDir,
        "left uncommitted when the agent's next task started",
        task.onEvent,
      );
      this.#settled = true;
    }
    try {
      const { tip, holder } = await branchState(this.repoDir, branch);
      if (holder && !samePath(holder, this.dir)) {
        if (existsSync(holder)) throw heldElsewhere(branch, holder);
        await withRepoLock(this.repoDir, () => runGit(this.repoDir, ["worktree", "prune"]));
      }
      await keepEarlierAttempt(this.repoDir, task, baseCommit, tip);
      writeFileSync(join(adminDir, TASK_FILE), `${branch}\n`);
      await checkout(this.repoDir, this.dir, branch, baseCommit);
    } catch (error) {
      // Throws `not a commit: <id>` when that is why git refused.
      if (checkedLater && isGuildError(error, "git.failed")) await resolveCommit(this.repoDir, baseCommit);
      throw error;
    }
    for (const name of OPERATION_STATE) rmSync(join(adminDir, name), { recursive: true, force: true });
    // -x too: build output and installed dependencies of the previous task are not the next one's.
    // -ff: also nested repositories a task may have cloned.
    await runGit(this.dir, ["clean", "-ffdxq"]);
    linkDependencies(this.repoDir, this.dir);
    recordBase(adminDir, baseCommit);
    this.#settled = false;
    return {
      repoDir: this.repoDir,
      dir: this.dir,
      branch,
      goalId: task.goalId,
      taskId: task.taskId,
      baseCommit,
    };
  }

  /**
   * Ends the current task: uncommitted work goes to a salvage ref (unless told it was all committed),
   * then HEAD is detached so that another replica may take the branch over.
   */
  async release(opts: ReleaseOptions = {}): Promise<Salvaged | undefined> {
    const adminDir = await this.#current();
    // Gone: a replica that took a task of ours over removed it; the next switch makes it again.
    if (!adminDir) return undefined;
    const reason = opts.reason ?? "task ended with uncommitted changes";
    const salvaged =
      opts.salvage === false ? undefined : await this.#keepLeftovers(adminDir, reason, opts.onEvent);
    // --force: a brain may have left conflicts in the index (kept by now, unless all was committed).
    await runGit(this.dir, ["checkout", "--quiet", "--force", "--detach"]);
    // What was salvaged is not salvaged again if this process stops before the next switch.
    if (salvaged) await runGit(this.dir, ["clean", "-ffdq"]);
    this.#settled = true;
    return salvaged;
  }

  /** Removes the worktree (salvaging uncommitted work first unless told otherwise); a later switch makes it again. */
  async remove(opts: ReleaseOptions = {}): Promise<Salvaged | undefined> {
    const adminDir = await this.#current();
    const reason = opts.reason ?? "worktree removed with uncommitted changes";
    const salvaged =
      adminDir && opts.salvage !== false && !this.#settled
        ? await this.#keepLeftovers(adminDir, reason, opts.onEvent)
        : undefined;
    this.#adminDir = undefined;
    this.#settled = false;
    await withRepoLock(this.repoDir, async () => {
      if (adminDir) await runGit(this.repoDir, ["worktree", "remove", "--force", "--force", this.dir]);
      else {
        rmSync(this.dir, { recursive: true, force: true });
        await runGit(this.repoDir, ["worktree", "prune"]);
      }
    });
    if (this.#defaultRoot) removeEmptyParents(this.dir);
    return salvaged;
  }

  // The admin dir when the worktree is there and git lists it; known after the first look while both
  // directories stay.
  async #current(): Promise<string | undefined> {
    if (this.#adminDir && existsSync(join(this.dir, ".git")) && existsSync(this.#adminDir)) {
      return this.#adminDir;
    }
    this.#adminDir = await adminDirIfLinked(this.repoDir, this.dir);
    // Found on disk (an earlier run of this agent): what it holds is unknown until looked at.
    this.#settled = false;
    return this.#adminDir;
  }

  async #ensure(baseCommit: string): Promise<string> {
    const known = await this.#current();
    if (known) return known;
    // A directory git no longer knows (removed by a takeover, then written to by a stalled brain).
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(dirname(this.dir), { recursive: true });
    await withRepoLock(this.repoDir, async () => {
      if (this.#defaultRoot) ignoreGuildDir(await gitPath(this.repoDir, "--git-common-dir"));
      // --no-checkout: the switch fills it, outside the lock. --force: re-registers a path whose
      // directory was deleted while git still lists it.
      const add = [
        "worktree",
        "add",
        "--quiet",
        "--force",
        "--detach",
        "--no-checkout",
        this.dir,
        baseCommit,
      ];
      await runGit(this.repoDir, add);
    });
    this.#adminDir = worktreeAdminDir(this.dir);
    this.#settled = true;
    return this.#adminDir;
  }

  // Salvages uncommitted work to the task the worktree was last on; a worktree that never held a
  // task has nothing of a task's to keep.
  async #keepLeftovers(
    adminDir: string,
    reason: string,
    onEvent: GitEventListener | undefined,
  ): Promise<Salvaged | undefined> {
    const ids = await lastTask(this.dir, adminDir);
    if (!ids) return undefined;
    const salvaged = await salvageWorktree(this.dir, ids, reason);
    if (salvaged) {
      onEvent?.({ type: "workspace.salvaged", payload: { ...ids, dir: this.dir, ...salvaged, reason } });
    }
    return salvaged;
  }
}

async function checkout(repoDir: string, dir: string, branch: string, baseCommit: string): Promise<void> {
  try {
    await runGit(dir, [
      "checkout",
      "--quiet",
      "--force",
      "--no-recurse-submodules",
      "-B",
      branch,
      baseCommit,
    ]);
  } catch (error) {
    // git 2.44+ refuses itself when another worktree took the branch since `branchState` looked: ask git
    // which worktree holds it rather than read its message.
    if (!isGuildError(error, "git.failed")) throw error;
    const { holder } = await branchState(repoDir, branch).catch(() => ({ holder: undefined }));
    if (holder && !samePath(holder, dir)) throw heldElsewhere(branch, holder);
    throw error;
  }
}

// The task whose leftovers these are: the branch HEAD is on, else the task last switched to (guild's
// own note in the admin dir).
async function lastTask(
  dir: string,
  adminDir: string,
): Promise<{ goalId: string; taskId: string } | undefined> {
  const head = await runGit(dir, ["symbolic-ref", "-q", "HEAD"], { okCodes: [1] });
  const onBranch = head.code === 0 ? parseTaskBranch(head.stdout.toString().trim()) : undefined;
  if (onBranch) return onBranch;
  try {
    return parseTaskBranch(readFileSync(join(adminDir, TASK_FILE), "utf8").trim());
  } catch {
    return undefined;
  }
}

// The admin dir of a linked worktree at `dir` that git lists as a worktree of `repoDir`.
async function adminDirIfLinked(repoDir: string, dir: string): Promise<string | undefined> {
  if (!existsSync(join(dir, ".git"))) return undefined;
  const listed = (await listWorktrees(repoDir)).some((w) => !w.missing && samePath(w.dir, dir));
  if (!listed) return undefined;
  try {
    return worktreeAdminDir(dir);
  } catch {
    return undefined;
  }
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}
