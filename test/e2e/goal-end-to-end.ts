import { join } from "node:path";
import { expect } from "vitest";
import type { Bus } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { startGuild } from "../../src/cli/runtime/start-guild.js";
import { worktreeRoot } from "../../src/git/index.js";
import { createLogger, type GuildEvent } from "../../src/protocol/index.js";
import { demoRepo } from "../helpers/demo-repo.js";

/** Runs the demo goal on `bus` with the five roles and checks what docs/ARCHITECTURE.md promises of the result. */
export async function runDemoGoal(bus: Bus): Promise<{ events: GuildEvent[]; repo: string }> {
  const repo = demoRepo();
  const logger = createLogger({ level: "silent" });
  const guild = await startGuild({ bus, logger });
  try {
    const output = collectOutput();
    const result = await submitGoal(
      bus,
      "harden the demo app",
      { repo: repo.path, wait: true, timeoutMs: 240_000 },
      output,
    );
    const failed = result.events.find((e) => e.type === "goal.failed");
    expect(failed ? JSON.stringify(failed.payload) : "").toBe("");
    expect(result.status).toBe("done");
    const { events } = result;
    const done = events.find((e) => e.type === "goal.done");
    const branch = done?.type === "goal.done" ? done.payload.branch : "";
    expect(branch).toBe(`guild/${result.goalId}.integration`);

    // The security fixes and the docs are in the integration branch...
    const diffFiles = repo.git("diff", "--name-only", `main...${branch}`).split("\n");
    expect(diffFiles).toContain("docs/API.md");
    expect(repo.git("show", `${branch}:src/lib/calculator.ts`)).not.toMatch(/\beval\(/);
    expect(repo.git("show", `${branch}:src/lib/shell.ts`)).not.toMatch(/\bexec\(`/);

    // ...made by different agents, in different worktrees, merged with trailers naming their roles.
    const trailers = repo.git(
      "log",
      "--format=%(trailers:key=Guild-Role,valueonly)",
      `main..${branch}`,
      "--merges",
    );
    const roles = new Set(trailers.split("\n").filter(Boolean));
    expect(roles.has("security")).toBe(true);
    expect(roles.has("docs")).toBe(true);
    // Each agent works in its own worktree, kept from task to task; no two agents share one.
    const worktrees = events.filter((e) => e.type === "workspace.ready");
    const dirOf = new Map<string, string>();
    for (const e of worktrees) {
      if (e.type !== "workspace.ready") continue;
      expect(e.payload.dir).toBe(join(worktreeRoot(repo.path), "agents", e.source));
      dirOf.set(e.source, e.payload.dir);
    }
    expect(new Set(dirOf.values()).size).toBe(dirOf.size);
    expect(dirOf.size).toBeGreaterThanOrEqual(4);

    // Each merge.completed names its own merge commit (the one whose trailer names its task), not the final head.
    const merges = events.filter((e) => e.type === "merge.completed");
    expect(new Set(merges.map((e) => e.type === "merge.completed" && e.payload.commit)).size).toBe(
      merges.length,
    );
    for (const e of merges) {
      if (e.type !== "merge.completed") continue;
      const task = repo.git("log", "-1", "--format=%(trailers:key=Guild-Task,valueonly)", e.payload.commit);
      expect(task.trim()).toBe(e.payload.taskId);
    }

    // The project's tests ran on the merged result and passed.
    const verify = events.find((e) => e.type === "verify.finished");
    expect(verify?.type === "verify.finished" && verify.payload.passed).toBe(true);

    // Agents' progress is read live, and the demo's tasks touch unrelated code: no overlap is raised.
    expect(events.some((e) => e.type === "work.progress")).toBe(true);
    expect(events.filter((e) => e.type === "overlap.detected").map((e) => JSON.stringify(e.payload))).toEqual(
      [],
    );

    // Every transition of both machines is an event.
    const types = new Set(events.map((e) => e.type));
    for (const t of [
      "goal.submitted",
      "plan.created",
      "task.dispatched",
      "task.claimed",
      "workspace.ready",
      "agent.state.changed",
      "proposal.published",
      "proposal.accepted",
      "merge.completed",
      "goal.done",
    ]) {
      expect(types.has(t as GuildEvent["type"])).toBe(true);
    }
    return { events, repo: repo.path };
  } finally {
    await guild.stop();
    repo[Symbol.dispose]();
  }
}
