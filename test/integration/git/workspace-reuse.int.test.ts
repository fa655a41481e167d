import { existsSync, mkdirSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  AgentWorktree,
  agentDirName,
  commitWorkspace,
  createWorkspace,
  type GitEvent,
  removeWorkspace,
  worktreeRoot,
} from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

const files = {
  "README.md": "# app\n",
  ".gitignore": "build/\n",
  "src/a.ts": "export const a = 1;\n",
};

function commitOnMain(repo: ReturnType<typeof tempRepo>, more: Record<string, string>): string {
  repo.write(more);
  repo.git("add", "-A");
  repo.git("commit", "-q", "-m", "more");
  return repo.head();
}

/** Branches checked out in any worktree of the repository. */
function checkedOut(repo: ReturnType<typeof tempRepo>): string[] {
  return repo
    .git("worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("branch "))
    .map((l) => l.slice("branch refs/heads/".length));
}

describe("an agent's worktree reused across tasks", () => {
  it("gives the second task a clean tree at its own base and releases the first task's branch", async () => {
    using repo = tempRepo(files);
    const base1 = repo.head();
    const wt = new AgentWorktree({ repoDir: repo.path, agentId: "frontend-1" });
    const first = await wt.switchTo({ goalId: "g1", taskId: "t1", baseCommit: base1 });
    expect(first.dir).toBe(join(worktreeRoot(repo.path), "agents", "frontend-1"));
    expect(repo.git("-C", first.dir, "symbolic-ref", "HEAD")).toBe("refs/heads/guild/g1/t1");
    expect(readFileSync(join(first.dir, "src/a.ts"), "utf8")).toContain("a = 1");
    expect(repo.git("status", "--porcelain")).toBe("");

    writeFileSync(join(first.dir, "src/a.ts"), "export const a = 2;\n");
    writeFileSync(join(first.dir, "first.txt"), "first\n");
    const { head: firstHead } = await commitWorkspace(first, "task 1");
    // Left behind after the commit: build output (ignored), and an untracked file and a change
    // made after it (a failed task would have them salvaged; here they are dropped on purpose).
    mkdirSync(join(first.dir, "build"));
    writeFileSync(join(first.dir, "build/out.js"), "built\n");
    writeFileSync(join(first.dir, "README.md"), "changed after the commit\n");
    writeFileSync(join(first.dir, "stray.txt"), "stray\n");
    await wt.release({ salvage: false });
    expect(checkedOut(repo)).toEqual(["main"]);
    expect(repo.git("rev-parse", "guild/g1/t1")).toBe(firstHead);

    const base2 = commitOnMain(repo, { "src/b.ts": "export const b = 1;\n" });
    const second = await wt.switchTo({ goalId: "g1", taskId: "t2", baseCommit: base2 });
    expect(second.dir).toBe(first.dir);
    expect(second.branch).toBe("guild/g1/t2");
    expect(repo.git("-C", second.dir, "symbolic-ref", "HEAD")).toBe("refs/heads/guild/g1/t2");
    expect(repo.git("-C", second.dir, "rev-parse", "HEAD")).toBe(base2);
    expect(repo.git("-C", second.dir, "status", "--porcelain", "--ignored", "--untracked-files=all")).toBe(
      "",
    );
    expect(existsSync(join(second.dir, "first.txt"))).toBe(false);
    expect(existsSync(join(second.dir, "build"))).toBe(false);
    expect(existsSync(join(second.dir, "stray.txt"))).toBe(false);
    expect(readFileSync(join(second.dir, "src/a.ts"), "utf8")).toContain("a = 1");
    expect(readFileSync(join(second.dir, "README.md"), "utf8")).toBe("# app\n");
    expect(existsSync(join(second.dir, "src/b.ts"))).toBe(true);
    const baseFile = repo.git(
      "-C",
      second.dir,
      "rev-parse",
      "--path-format=absolute",
      "--git-path",
      "guild-base",
    );
    expect(readFileSync(baseFile, "utf8").trim()).toBe(base2);
    expect(checkedOut(repo).sort()).toEqual(["guild/g1/t2", "main"]);
    expect(repo.git("for-each-ref", "refs/guild/salvage")).toBe("");
  });

  it("switches without the repository lock once the worktree exists", async () => {
    using repo = tempRepo(files);
    const wt = new AgentWorktree({ repoDir: repo.path, agentId: "backend-1" });
    const lockEvents: string[] = [];
    const watcher = watch(join(repo.path, ".git"), (_, name) => {
      if (name === "guild-repo.lock") lockEvents.push(name);
    });
    try {
      const base = repo.head();
      await wt.switchTo({ goalId: "g1", taskId: "t1", baseCommit: base });
      await wt.release({ salvage: false });
      await sleep(100);
      // Creating the worktree took the lock, so the watcher sees it.
      expect(lockEvents.length).toBeGreaterThan(0);
      lockEvents.length = 0;
      await wt.switchTo({ goalId: "g1", taskId: "t2", baseCommit: base });
      await sleep(100);
      expect(lockEvents).toEqual([]);
    } finally {
      watcher.close();
    }
  });

  it("releases a committed task by detaching HEAD at its commit, and leaves git's HEAD lock to git", async () => {
    using repo = tempRepo(files);
    const wt = new AgentWorktree({ repoDir: repo.path, agentId: "docs-1" });
    const ws = await wt.switchTo({ goalId: "g1", taskId: "t1", baseCommit: repo.head() });
    writeFileSync(join(ws.dir, "README.md"), "# app, documented\n");
    const { head } = await commitWorkspace(ws, "task 1");
    await wt.release({ salvage: false });
    const adminDir = repo.git("-C", ws.dir, "rev-parse", "--path-format=absolute", "--git-dir");
    expect(readFileSync(join(adminDir, "HEAD"), "utf8")).toBe(`${head}\n`);
    expect(checkedOut(repo)).toEqual(["main"]);
    expect(repo.git("-C", ws.dir, "status", "--porcelain")).toBe("");
    // Another replica can take the branch at once.
    const other = new AgentWorktree({ repoDir: repo.path, agentId: "docs-2" });
    const taken = await other.switchTo({ goalId: "g1", taskId: "t1", baseCommit: head });
    expect(repo.git("-C", taken.dir, "symbolic-ref", "HEAD")).toBe("refs/heads/guild/g1/t1");
    await other.release({ salvage: false });

    // A HEAD.lock of a git process at work: git refuses, and nothing is written beside it.
    await wt.switchTo({ goalId: "g1", taskId: "t2", baseCommit: head });
    writeFileSync(join(adminDir, "HEAD.lock"), "held\n");
    const refused = await wt.release({ salvage: false }).catch((e: unknown) => e);
    expect(String(refused)).toMatch(/HEAD\.lock/);
    expect(readFileSync(join(adminDir, "HEAD.lock"), "utf8")).toBe("held\n");
    expect(repo.git("-C", ws.dir, "symbolic-ref", "HEAD")).toBe("refs/heads/guild/g1/t2");
  });

  it("names a base that is not a commit, also when the worktree is there and the id looks whole", async () => {
    using repo = tempRepo(files);
    const wt = new AgentWorktree({ repoDir: repo.path, agentId: "tests-1" });
    await wt.switchTo({ goalId: "g1", taskId: "t1", baseCommit: repo.head() });
    await wt.release({ salvage: false });
    const tree = repo.git("rev-parse", "HEAD^{tree}");
    for (const baseCommit of [tree, "e".repeat(40)]) {
      await expect(wt.switchTo({ goalId: "g1", taskId: "t2", baseCommit })).rejects.toThrow(
        `not a commit: ${baseCommit}`,
      );
    }
  });

  it("salvages work a crashed task left uncommitted to that task's ref before switching", async () => {
    using repo = tempRepo(files);
    const crashed = new AgentWorktree({ repoDir: repo.path, agentId: "docs-1" });
    const first = await crashed.switchTo({ goalId: "g1", taskId: "t1", baseCommit: repo.head() });
    writeFileSync(join(first.dir, "src/a.ts"), "half done\n");
    writeFileSync(join(first.dir, "notes.txt"), "notes\n");
    // The process dies here; the next one finds the worktree on disk.
    const events: GitEvent[] = [];
    const restarted = new AgentWorktree({ repoDir: repo.path, agentId: "docs-1" });
    const second = await restarted.switchTo({
      goalId: "g2",
      taskId: "t2",
      baseCommit: repo.head(),
      onEvent: (e) => events.push(e),
    });
    expect(events).toHaveLength(1);
    const salvaged = events[0];
    expect(salvaged?.type).toBe("workspace.salvaged");
    expect(salvaged?.payload).toMatchObject({ goalId: "g1", taskId: "t1", dir: first.dir });
    const ref = salvaged?.type === "workspace.salvaged" ? salvaged.payload.ref : "";
    expect(ref).toMatch(/^refs\/guild\/salvage\/g1\/t1\//);
    expect(repo.git("show", `${ref}:src/a.ts`)).toBe("half done");
    expect(repo.git("show", `${ref}:notes.txt`)).toBe("notes");
    expect(repo.git("-C", second.dir, "status", "--porcelain", "--untracked-files=all")).toBe("");
    expect(readFileSync(join(second.dir, "src/a.ts"), "utf8")).toContain("a = 1");
  });

  it("salvages what a failed task left when it is released, then does not salvage it again", async () => {
    using repo = tempRepo(files);
    const wt = new AgentWorktree({ repoDir: repo.path, agentId: "tests-1" });
    const ws = await wt.switchTo({ goalId: "g1", taskId: "t1", baseCommit: repo.head() });
    writeFileSync(join(ws.dir, "half.txt"), "half\n");
    const events: GitEvent[] = [];
    const salvaged = await wt.release({ onEvent: (e) => events.push(e) });
    expect(salvaged?.ref).toMatch(/^refs\/guild\/salvage\/g1\/t1\//);
    expect(events.map((e) => e.type)).toEqual(["workspace.salvaged"]);
    expect(checkedOut(repo)).toEqual(["main"]);
    const again = new AgentWorktree({ repoDir: repo.path, agentId: "tests-1" });
    await again.switchTo({
      goalId: "g1",
      taskId: "t2",
      baseCommit: repo.head(),
      onEvent: (e) => events.push(e),
    });
    expect(events).toHaveLength(1);
    expect(repo.git("for-each-ref", "--format=%(refname)", "refs/guild/salvage").split("\n")).toHaveLength(1);
  });

  it("keeps an earlier attempt's commits under a salvage ref when the branch is reset to a new base", async () => {
    using repo = tempRepo(files);
    const base = repo.head();
    const wt = new AgentWorktree({ repoDir: repo.path, agentId: "frontend-1" });
    const first = await wt.switchTo({ goalId: "g1", taskId: "t9", baseCommit: base });
    writeFileSync(join(first.dir, "a.txt"), "attempt 1\n");
    const { head } = await commitWorkspace(first, "attempt 1");
    await wt.release({ salvage: false });
    // The retry lands on another replica's worktree.
    const other = new AgentWorktree({ repoDir: repo.path, agentId: "frontend-2" });
    const events: GitEvent[] = [];
    const second = await other.switchTo({
      goalId: "g1",
      taskId: "t9",
      baseCommit: base,
      onEvent: (e) => events.push(e),
    });
    expect(repo.git("-C", second.dir, "rev-parse", "HEAD")).toBe(base);
    expect(events.map((e) => e.type)).toEqual(["workspace.salvaged"]);
    expect(events[0]?.payload).toMatchObject({ goalId: "g1", taskId: "t9", commit: head });
    expect(repo.git("for-each-ref", "--format=%(objectname)", "refs/guild/salvage/g1/t9")).toBe(head);
    expect(existsSync(join(second.dir, "a.txt"))).toBe(false);
  });

  it("refuses a branch another worktree holds, naming it, and switches once it is gone", async () => {
    using repo = tempRepo(files);
    const base = repo.head();
    const stale = await createWorkspace({ repoDir: repo.path, goalId: "g1", taskId: "t1", baseCommit: base });
    writeFileSync(join(stale.dir, "a.txt"), "stale\n");
    const staleHead = (await commitWorkspace(stale, "stale work")).head;
    const wt = new AgentWorktree({ repoDir: repo.path, agentId: "frontend-1" });
    const task = { goalId: "g1", taskId: "t1", baseCommit: base };
    await expect(wt.switchTo(task)).rejects.toMatchObject({
      code: "git.failed",
      details: { branch: "guild/g1/t1", dir: stale.dir },
    });
    // Nothing moved under the holder: its branch and its files are as they were.
    expect(repo.git("rev-parse", "guild/g1/t1")).toBe(staleHead);
    expect(repo.git("for-each-ref", "refs/guild/salvage")).toBe("");
    await removeWorkspace(stale);
    const ws = await wt.switchTo(task);
    expect(repo.git("-C", ws.dir, "rev-parse", "HEAD")).toBe(base);

    // Another agent's worktree holds it too until that agent releases it.
    const other = new AgentWorktree({ repoDir: repo.path, agentId: "frontend-2" });
    await expect(other.switchTo(task)).rejects.toMatchObject({ details: { dir: ws.dir } });
    await wt.release();
    expect((await other.switchTo(task)).branch).toBe("guild/g1/t1");
  });

  it("takes the branch from a holder whose directory is gone", async () => {
    using repo = tempRepo(files);
    const stale = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "t1",
      baseCommit: repo.head(),
    });
    rmSync(stale.dir, { recursive: true, force: true });
    const wt = new AgentWorktree({ repoDir: repo.path, agentId: "frontend-1" });
    const ws = await wt.switchTo({ goalId: "g1", taskId: "t1", baseCommit: repo.head() });
    expect(checkedOut(repo).sort()).toEqual(["guild/g1/t1", "main"]);
    expect(repo.git("worktree", "list", "--porcelain")).not.toContain(stale.dir);
    expect(ws.dir).not.toBe(stale.dir);
  });

  it("is removed with its uncommitted work salvaged, and made again on the next switch", async () => {
    using repo = tempRepo(files);
    const wt = new AgentWorktree({ repoDir: repo.path, agentId: "security-1" });
    const ws = await wt.switchTo({ goalId: "g1", taskId: "t1", baseCommit: repo.head() });
    writeFileSync(join(ws.dir, "wip.txt"), "wip\n");
    const events: GitEvent[] = [];
    const salvaged = await wt.remove({ reason: "cancelled", onEvent: (e) => events.push(e) });
    expect(repo.git("show", `${salvaged?.ref}:wip.txt`)).toBe("wip");
    expect(events[0]?.payload).toMatchObject({ taskId: "t1", reason: "cancelled" });
    expect(existsSync(ws.dir)).toBe(false);
    expect(repo.git("worktree", "list", "--porcelain")).not.toContain(ws.dir);

    // A directory git no longer knows (a stalled brain wrote into it after a takeover removed it).
    mkdirSync(join(ws.dir, "src"), { recursive: true });
    writeFileSync(join(ws.dir, "src/late.ts"), "late\n");
    const again = await wt.switchTo({ goalId: "g1", taskId: "t2", baseCommit: repo.head() });
    expect(existsSync(join(again.dir, "src/late.ts"))).toBe(false);
    expect(repo.git("-C", again.dir, "symbolic-ref", "HEAD")).toBe("refs/heads/guild/g1/t2");
    await wt.release();
    expect(await wt.remove()).toBeUndefined();
    expect(repo.git("worktree", "list", "--porcelain")).not.toContain(ws.dir);
  });

  it("names the directory after the agent, safely and without collisions", () => {
    expect(agentDirName("frontend-1")).toBe("frontend-1");
    const odd = agentDirName("../a b");
    expect(odd).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(agentDirName("a/b")).not.toBe(agentDirName("a_b"));
    expect(agentDirName("x".repeat(300)).length).toBeLessThan(80);
  });
});
