import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createWorkspace, type GitEvent, recoverWorkspaces } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

describe("recovering workspaces after a crash", () => {
  it("reattaches live tasks, salvages and removes dead ones, prunes vanished ones", async () => {
    using repo = tempRepo({ "README.md": "# app\n", "src/a.ts": "a\n" });
    const base = repo.head();
    const live = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "live",
      baseCommit: base,
    });
    const dead = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "dead",
      baseCommit: base,
    });
    const gone = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "gone",
      baseCommit: base,
    });
    writeFileSync(join(live.dir, "src/a.ts"), "work in progress\n");
    writeFileSync(join(dead.dir, "src/a.ts"), "unsaved work of a dead task\n");
    rmSync(gone.dir, { recursive: true, force: true });
    // The process "crashes" here: nothing but git's own bookkeeping remembers these workspaces.

    const events: GitEvent[] = [];
    const report = await recoverWorkspaces(repo.path, {
      isLive: (goalId, taskId) => goalId === "g1" && taskId === "live",
      onEvent: (e) => events.push(e),
    });

    expect(report.reattached).toEqual([
      {
        repoDir: live.repoDir,
        dir: live.dir,
        branch: "guild/g1/live",
        goalId: "g1",
        taskId: "live",
        baseCommit: base,
      },
    ]);
    expect(report.pruned.map((p) => p.taskId).sort()).toEqual(["dead", "gone"]);
    expect(report.salvaged).toHaveLength(1);
    const kept = report.salvaged[0];
    expect(kept?.ref).toMatch(/^refs\/guild\/salvage\/g1\/dead\//);
    expect(repo.git("show", `${kept?.ref}:src/a.ts`)).toBe("unsaved work of a dead task");
    expect(events.map((e) => e.type).sort()).toEqual([
      "workspace.pruned",
      "workspace.pruned",
      "workspace.reattached",
      "workspace.salvaged",
    ]);
    const listed = repo.git("worktree", "list", "--porcelain");
    expect(listed).toContain(live.dir);
    expect(listed).not.toContain(dead.dir);
    expect(listed).not.toContain(gone.dir);
    // The live workspace keeps its uncommitted work untouched.
    expect(repo.git("-C", live.dir, "status", "--porcelain")).toBe("M src/a.ts");
  });
});
