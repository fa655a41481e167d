import { existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AgentWorktree,
  createWorkspace,
  guildHome,
  removeWorkspace,
  worktreeRoot,
} from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("worktrees under the guild home", () => {
  it("finds the home in GUILD_HOME, else XDG_STATE_HOME/guild, else ~/.guild; one folder per repository", () => {
    expect(guildHome({ GUILD_HOME: "/h/g", XDG_STATE_HOME: "/x" })).toBe("/h/g");
    expect(guildHome({ XDG_STATE_HOME: "/x" })).toBe("/x/guild");
    expect(guildHome({})).toMatch(/\.guild$/);
    expect(worktreeRoot("/a/app", "/h")).toMatch(/^\/h\/worktrees\/app-[0-9a-f]{12}$/);
    expect(worktreeRoot("/b/app", "/h")).not.toBe(worktreeRoot("/a/app", "/h"));
  });

  it("keeps task and agent worktrees out of the checkout, links its node_modules, and cleans up after", async () => {
    using home = tempDir("guild-home-");
    const before = process.env.GUILD_HOME;
    process.env.GUILD_HOME = home.path;
    using repo = tempRepo({ ".gitignore": "node_modules/\n", "src/a.test.ts": "x\n" });
    mkdirSync(join(repo.path, "node_modules", "vitest"), { recursive: true });
    writeFileSync(join(repo.path, "node_modules", "vitest", "index.js"), "");
    try {
      const ws = await createWorkspace({
        repoDir: repo.path,
        goalId: "g1",
        taskId: "t1",
        baseCommit: "HEAD",
      });
      const agent = new AgentWorktree({ repoDir: repo.path, agentId: "tests-1" });
      const task = await agent.switchTo({ goalId: "g1", taskId: "t2", baseCommit: repo.head() });
      for (const dir of [ws.dir, task.dir]) {
        expect(dir.startsWith(worktreeRoot(repo.path, home.path))).toBe(true);
        expect(lstatSync(join(dir, "node_modules")).isSymbolicLink()).toBe(true);
        expect(existsSync(join(dir, "node_modules", "vitest", "index.js"))).toBe(true);
        // The link is no change of the task's: an agent's `git add -A` would not pick it up.
        expect(repo.git("-C", dir, "status", "--porcelain")).toBe("");
      }
      // Nothing of guild's inside the checkout for its own test runner to find.
      expect(readdirSync(repo.path).sort()).toEqual([".git", ".gitignore", "node_modules", "src"]);
      await removeWorkspace(ws, { deleteBranch: true });
      await agent.remove({ reason: "done" });
      expect(existsSync(worktreeRoot(repo.path, home.path))).toBe(false);
      expect(existsSync(join(repo.path, "node_modules", "vitest", "index.js"))).toBe(true);
    } finally {
      process.env.GUILD_HOME = before;
    }
  });
});
