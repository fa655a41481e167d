import { join } from "node:path";
import { expect } from "vitest";
import type { Bus } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { startGuild } from "../../src/cli/runtime/start-guild.js";
import { guildHome, repoId, worktreeRoot } from "../../src/git/index.js";
import { createLogger, type GuildEvent } from "../../src/protocol/index.js";
import { demoRepo } from "../helpers/demo-repo.js";
import { checkoutHost } from "../helpers/host-config.js";

/** Runs the demo goal on `bus` with the five roles and checks what docs/ARCHITECTURE.md promises of the result. */
export async function runDemoGoal(
  bus: Bus,
  opts: { mirrored?: boolean } = {},
): Promise<{ events: GuildEvent[]; repo: string }> {
  const repo = demoRepo();
  // Agents that share the coordinator's repository work in worktrees of it; the others in their mirror.
  const agentDirs = opts.mirrored
    ? join(guildHome(), "repos", `${await repoId(repo.path, "HEAD")}.worktrees`)
    : join(worktreeRoot(repo.path), "agents");
  const logger = createLogger({ level: "silent" });
  const guild = await startGuild({ bus, logger, host: checkoutHost(repo.path) });
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
      expect(e.payload.dir).toBe(join(agentDirs, e.source));
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

    // Agents' progress is read live: the one place two tasks touch the same code (the iframe's line of the
    // co-owned form) is raised while they work; no other task's code overlaps, so nothing else is.
    expect(events.some((e) => e.type === "work.progress")).toBe(true);
    const overlaps = events.flatMap((e) => (e.type === "overlap.detected" ? [e.payload] : []));
    expect(overlaps).toHaveLength(1);
    expect(overlaps[0]).toMatchObject({
      kind: "lines",
      path: "src/ui/signup-form.tsx",
      a: { taskId: "frontend", role: "frontend" },
      b: { taskId: "security", role: "security" },
    });

    // Both changed that line: settlement keeps the primary owner's change, with the reason, and the
    // loser redoes its work on top of it; the merged form has both fixes.
    const settled = events.flatMap((e) => (e.type === "conflict.settled" ? [e.payload] : []));
    expect(settled).toEqual([
      {
        winner: "frontend",
        loser: "security",
        policy: "ownership",
        reason: "frontend is the primary owner of src/ui/signup-form.tsx; security is not",
        files: ["src/ui/signup-form.tsx"],
      },
    ]);
    expect(
      events.some(
        (e) =>
          e.type === "proposal.revision_requested" &&
          e.payload.taskId === "security" &&
          e.payload.attempt === 2,
      ),
    ).toBe(true);
    expect(repo.git("show", `${branch}:src/ui/signup-form.tsx`)).toMatch(
      /<iframe (?=[^>]*sandbox="")(?=[^>]*title="Terms")[^>]*\/>/,
    );

    // Backend's fix of calculator.ts needs a module in security's paths: that write became a change
    // request, which security applied, and it was merged from security's commit.
    const requests = events.flatMap((e) => (e.type === "change.requested" ? [e.payload] : []));
    expect(requests).toEqual([
      {
        taskId: "backend-security-cr-security",
        fromTask: "backend-security",
        fromRole: "backend",
        toRole: "security",
        paths: ["src/lib/safe-arithmetic.ts"],
      },
    ]);
    const applied = events.find(
      (e) => e.type === "merge.completed" && e.payload.taskId === "backend-security-cr-security",
    );
    const appliedCommit = applied?.type === "merge.completed" ? applied.payload.commit : "";
    expect(repo.git("diff", "--name-only", `${appliedCommit}^1`, appliedCommit)).toBe(
      "src/lib/safe-arithmetic.ts",
    );
    expect(repo.git("log", "-1", "--format=%(trailers:key=Guild-Role,valueonly)", `${appliedCommit}^2`)).toBe(
      "security",
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
