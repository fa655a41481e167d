import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AgentWorktree, recoverWorkspaces } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

describe("recovering agents' reused worktrees after a crash", () => {
  it("handles one on a task branch like a task's worktree and leaves an idle one for its agent", async () => {
    using repo = tempRepo({ "README.md": "# app\n", "src/a.ts": "a\n" });
    const base = repo.head();
    const agent = (agentId: string) => new AgentWorktree({ repoDir: repo.path, agentId });
    const live = await agent("live-1").switchTo({ goalId: "g1", taskId: "live", baseCommit: base });
    const dead = await agent("dead-1").switchTo({ goalId: "g1", taskId: "dead", baseCommit: base });
    const idleAgent = agent("idle-1");
    const idle = await idleAgent.switchTo({ goalId: "g1", taskId: "done", baseCommit: base });
    await idleAgent.release({ salvage: false });
    writeFileSync(join(dead.dir, "src/a.ts"), "unsaved work of a dead task\n");
    // The process "crashes" here.

    const report = await recoverWorkspaces(repo.path, {
      isLive: (goalId, taskId) => goalId === "g1" && taskId === "live",
    });
    expect(report.reattached).toEqual([
      {
        repoDir: repo.path,
        dir: live.dir,
        branch: "guild/g1/live",
        goalId: "g1",
        taskId: "live",
        baseCommit: base,
      },
    ]);
    expect(report.pruned.map((p) => p.dir)).toEqual([dead.dir]);
    expect(repo.git("show", `${report.salvaged[0]?.ref}:src/a.ts`)).toBe("unsaved work of a dead task");
    const listed = repo.git("worktree", "list", "--porcelain");
    expect(listed).toContain(`worktree ${idle.dir}`);
    expect(listed).not.toContain(`worktree ${dead.dir}`);

    // The restarted agents carry on: the dead task's agent gets a new worktree, the idle one reuses its own.
    const again = await agent("dead-1").switchTo({ goalId: "g1", taskId: "next", baseCommit: base });
    expect(again.dir).toBe(dead.dir);
    expect(repo.git("-C", again.dir, "status", "--porcelain")).toBe("");
    const reused = await agent("idle-1").switchTo({ goalId: "g1", taskId: "other", baseCommit: base });
    expect(reused.dir).toBe(idle.dir);
  });
});
