import { describe, expect, it } from "vitest";
import type { TaskRecord } from "../../../../src/coordinator/goal/goal-types.js";
import { settleConflicts } from "../../../../src/coordinator/settle/settle-conflicts.js";
import { OwnershipMatcher, parseRules } from "../../../../src/ownership/index.js";

const YAML = `
version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
  - { pattern: "src/auth.ts", owners: ["@security"] }
  - { pattern: "perf/**", owners: ["@performance", "@security"] }
  - { pattern: "shared/**", owners: ["@docs", "@performance", "@security"] }
roles: { security: {}, backend: {}, performance: {}, docs: {} }
rolePriority: [security, backend, performance]
`;

function setup(settlement?: string) {
  const parsed = parseRules(settlement ? `${YAML}settlement: ${settlement}\n` : YAML, { file: "guild.yaml" });
  return { config: parsed.config, matcher: new OwnershipMatcher(parsed.rules, parsed.config) };
}

function task(taskId: string, role: string, revisions = 0): TaskRecord {
  return {
    spec: { taskId, role, title: taskId, instructions: "", expectedPaths: [], dependsOn: [] },
    status: "accepted",
    attempt: 1,
    base: "0".repeat(40),
    revisions,
    proposal: {
      proposalId: `${taskId}-1`,
      goalId: "g",
      taskId,
      attempt: 1,
      role,
      agentId: `${role}-1`,
      baseCommit: "0".repeat(40),
      headCommit: `${taskId[0]}`.repeat(40),
      bundleKey: "k",
      changedPaths: [],
      rationale: "",
      checks: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      partial: false,
    },
  };
}

describe("settling conflicts", () => {
  it("gives the conflict to the owner of the conflicting file, and sends the other to revise on top", () => {
    const { config, matcher } = setup();
    const tasks = { s: task("s", "security"), b: task("b", "backend") };
    const out = settleConflicts([{ a: "b", b: "s", files: ["src/auth.ts"] }], tasks, config, matcher);
    expect(out.settlements).toEqual([
      {
        winner: "s",
        loser: "b",
        policy: "ownership",
        reason: "security is the primary owner of src/auth.ts; backend is not",
        files: ["src/auth.ts"],
      },
    ]);
    expect(out.revise).toHaveLength(1);
    expect(out.revise[0]?.taskId).toBe("b");
    expect(out.revise[0]?.base).toBe("s".repeat(40));
    expect(out.revise[0]?.feedback).toMatch(/security is the primary owner of src\/auth.ts/);
  });

  it("falls back to role priority when ownership cannot decide (security over performance)", () => {
    const { config, matcher } = setup();
    const tasks = { p: task("p", "performance"), s: task("s", "security") };
    const out = settleConflicts([{ a: "p", b: "s", files: ["shared/cache.ts"] }], tasks, config, matcher);
    expect(out.settlements[0]).toMatchObject({ winner: "s", loser: "p", policy: "priority" });
    const coOwned = settleConflicts([{ a: "s", b: "p", files: ["perf/cache.ts"] }], tasks, config, matcher);
    expect(coOwned.settlements[0]).toMatchObject({ winner: "p", loser: "s", policy: "ownership" });
  });

  it("rejects the loser when revisions are spent or the chain has no revise step", () => {
    const spent = setup();
    const tasks = { s: task("s", "security"), b: task("b", "backend", 2) };
    expect(
      settleConflicts([{ a: "s", b: "b", files: ["src/auth.ts"] }], tasks, spent.config, spent.matcher)
        .reject,
    ).toEqual([
      { taskId: "b", reason: "lost conflict: security is the primary owner of src/auth.ts; backend is not" },
    ]);
    const noRevise = setup("[ownership, priority]");
    const fresh = { s: task("s", "security"), b: task("b", "backend") };
    const out = settleConflicts(
      [{ a: "s", b: "b", files: ["src/auth.ts"] }],
      fresh,
      noRevise.config,
      noRevise.matcher,
    );
    expect(out.revise).toEqual([]);
    expect(out.reject.map((r) => r.taskId)).toEqual(["b"]);
  });

  it("leaves a conflict no synchronous policy decides to the arbiter or a person when the chain has them", () => {
    const { config, matcher } = setup("[ownership, arbiter, human]");
    const tasks = { p: task("p", "performance"), s: task("s", "security") };
    const out = settleConflicts([{ a: "p", b: "s", files: ["shared/x.ts"] }], tasks, config, matcher);
    expect(out.undecided).toEqual([{ a: "p", b: "s", files: ["shared/x.ts"] }]);
    expect(out.reject).toEqual([]);
    expect(out.settlements).toEqual([]);
  });

  it("rejects with the reason when no policy in the chain decides", () => {
    const { config, matcher } = setup("[ownership]");
    const tasks = { p: task("p", "performance"), s: task("s", "security") };
    const out = settleConflicts([{ a: "p", b: "s", files: ["shared/x.ts"] }], tasks, config, matcher);
    expect(out.settlements[0]?.policy).toBe("none");
    expect(out.reject[0]?.reason).toMatch(/no policy in \[ownership\] could decide/);
  });
});
