import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryBus } from "../../../src/bus/index.js";
import { submitGoal } from "../../../src/cli/commands/goal.js";
import { collectOutput } from "../../../src/cli/output.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import { createWorkspace } from "../../../src/git/index.js";
import { createLogger } from "../../../src/protocol/index.js";
import { frontendRepo } from "./frontend-repo.js";

describe("a task taken over from a worker that died after making its worktree", () => {
  it("salvages the stale worktree's uncommitted work, then finishes the task in its own worktree", async () => {
    using repo = frontendRepo();
    // What a worker killed mid-task leaves behind: the task's worktree, with work it never committed.
    const stale = await createWorkspace({
      repoDir: repo.path,
      goalId: "g-takeover",
      taskId: "t-web",
      baseCommit: repo.head(),
    });
    writeFileSync(join(stale.dir, "web", "half-done.txt"), "unfinished\n");

    const bus = new MemoryBus();
    const guild = await startGuild({ bus, logger: createLogger({ level: "silent" }), roles: ["frontend"] });
    try {
      const plan = [
        {
          taskId: "t-web",
          role: "frontend",
          title: "web",
          instructions: "",
          expectedPaths: ["web/a.txt"],
          dependsOn: [],
        },
      ];
      const result = await submitGoal(
        bus,
        "web",
        { repo: repo.path, wait: true, plan, goalId: "g-takeover", timeoutMs: 60_000 },
        collectOutput(),
      );
      expect(result.status).toBe("done");
      const salvaged = result.events.find((e) => e.type === "workspace.salvaged");
      expect(salvaged?.type === "workspace.salvaged" && salvaged.payload.taskId).toBe("t-web");
      const ref = salvaged?.type === "workspace.salvaged" ? salvaged.payload.ref : "";
      expect(repo.git("show", `${ref}:web/half-done.txt`)).toBe("unfinished");
      const done = result.events.find((e) => e.type === "goal.done");
      const branch = done?.type === "goal.done" ? done.payload.branch : "";
      expect(repo.git("show", `${branch}:web/a.txt`)).toMatch(/scripted: t-web attempt 1/);
      expect(result.events.filter((e) => e.type === "task.failed")).toEqual([]);
    } finally {
      await guild.stop();
      await bus.close();
    }
  });
});
