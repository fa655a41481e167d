import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryBus } from "../../../src/bus/index.js";
import { submitGoal } from "../../../src/cli/commands/goal.js";
import { collectOutput } from "../../../src/cli/output.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import { worktreeRoot } from "../../../src/git/index.js";
import { createLogger } from "../../../src/protocol/index.js";
import { frontendRepo } from "./frontend-repo.js";

const task = (taskId: string, path: string) => ({
  taskId,
  role: "frontend",
  title: taskId,
  instructions: "",
  expectedPaths: [path],
  dependsOn: [],
});

describe("a specialist's own worktree", () => {
  it("serves its tasks one after another, releases each branch, and goes when the agent stops", async () => {
    using repo = frontendRepo();
    const bus = new MemoryBus();
    const guild = await startGuild({ bus, logger: createLogger({ level: "silent" }), roles: ["frontend"] });
    const agentDir = join(worktreeRoot(repo.path), "agents", "frontend-1");
    try {
      const result = await submitGoal(
        bus,
        "web",
        {
          repo: repo.path,
          wait: true,
          plan: [task("t-one", "web/one.txt"), task("t-two", "web/two.txt")],
          goalId: "g-reuse",
          timeoutMs: 60_000,
        },
        collectOutput(),
      );
      expect(result.status).toBe("done");
      const ready = result.events.flatMap((e) => (e.type === "workspace.ready" ? [e.payload] : []));
      expect(ready.map((r) => r.taskId).sort()).toEqual(["t-one", "t-two"]);
      expect(new Set(ready.map((r) => r.dir))).toEqual(new Set([agentDir]));
      // Each proposal holds only its own task's file: nothing of the other task leaked into it.
      const changed = result.events.flatMap((e) =>
        e.type === "proposal.published" ? [[e.payload.taskId, e.payload.changedPaths]] : [],
      );
      expect(Object.fromEntries(changed)).toEqual({ "t-one": ["web/one.txt"], "t-two": ["web/two.txt"] });
      expect(result.events.filter((e) => e.type === "workspace.salvaged")).toEqual([]);
      // Between tasks the worktree stays, on no branch, so any replica may take a task branch over.
      const listed = repo.git("worktree", "list", "--porcelain");
      expect(listed).toContain(`worktree ${agentDir}`);
      expect(listed).not.toContain("refs/heads/guild/g-reuse/");
    } finally {
      await guild.stop();
      await bus.close();
    }
    expect(existsSync(agentDir)).toBe(false);
    expect(repo.git("worktree", "list", "--porcelain")).not.toContain(agentDir);
  });
});
