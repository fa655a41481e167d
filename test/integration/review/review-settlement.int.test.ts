import { describe, expect, it } from "vitest";
import { startScenario, task } from "./scenario.js";

const CHECK = `import { readFileSync } from "node:fs";
if (readFileSync("src/api.ts", "utf8").includes("BROKEN")) { console.error("api is broken"); process.exit(1); }
console.log("ok");
`;

function files(settlement = "[ownership, priority, revise, human]", extra = "") {
  return {
    "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
  - { pattern: "src/auth.ts", owners: ["@security"] }
  - { pattern: "perf/**", owners: ["@performance", "@security"] }
  - { pattern: "shared/**", owners: ["@docs", "@performance", "@security"] }
roles: { security: {}, backend: {}, performance: {}, docs: {} }
rolePriority: [security, backend, performance, docs]
settlement: ${settlement}
testCommand: ["node", "check.mjs"]
${extra}`,
    "check.mjs": CHECK,
    "src/api.ts": "export const api = 1;\n",
    "src/auth.ts": "export const secret = 'x';\n",
    "perf/cache.ts": "line1\nline2\nline3\n",
    "shared/util.ts": "one\ntwo\nthree\n",
  };
}

describe("settlement chain on a real coordinator", () => {
  it("ownership: the primary owner of a co-owned file wins; the other revises on top of it", async () => {
    await using s = await startScenario(files());
    const { goalId, pHead } = await s.conflictingPair(
      "perf/cache.ts",
      "perf/**",
      "fast1\nline2\nline3\n",
      "safe1\nline2\nline3\n",
    );
    const settled = await s.waitFor("conflict.settled");
    expect(settled.payload).toMatchObject({
      winner: "p",
      loser: "s",
      policy: "ownership",
      files: ["perf/cache.ts"],
    });
    await s.waitFor("task.dispatched", (e) => e.payload.taskId === "s" && e.payload.attempt === 2);
    await s.propose(
      goalId,
      { taskId: "s", role: "security", attempt: 2, base: pHead },
      { "perf/cache.ts": "fast1\nline2\nsafe3\n" },
    );
    const done = await s.waitFor("goal.done");
    expect(s.repo.git("show", `${done.payload.branch}:perf/cache.ts`)).toBe("fast1\nline2\nsafe3");
  });

  it("role priority: security over performance when neither is the primary owner", async () => {
    await using s = await startScenario(files());
    const { goalId, sHead } = await s.conflictingPair(
      "shared/util.ts",
      "shared/**",
      "ONE\ntwo\nthree\n",
      "uno\ntwo\nthree\n",
    );
    const settled = await s.waitFor("conflict.settled");
    expect(settled.payload).toMatchObject({ winner: "s", loser: "p", policy: "priority" });
    expect(settled.payload.reason).toBe("role priority ranks security above performance");
    const revision = await s.waitFor("proposal.revision_requested", (e) => e.payload.taskId === "p");
    expect(revision.payload.reason).toMatch(/Redo your work on top of it/);
    await s.propose(
      goalId,
      { taskId: "p", role: "performance", attempt: 2, base: sHead },
      { "shared/util.ts": "uno\ntwo\nTHREE\n" },
    );
    const done = await s.waitFor("goal.done");
    expect(s.repo.git("show", `${done.payload.branch}:shared/util.ts`)).toBe("uno\ntwo\nTHREE");
  });

  it("person: a conflict no policy decides waits in review until approved with a winner", async () => {
    await using s = await startScenario(files("[ownership, human]"));
    const { goalId, pHead } = await s.conflictingPair(
      "shared/util.ts",
      "shared/**",
      "ONE\ntwo\nthree\n",
      "uno\ntwo\nthree\n",
    );
    const requested = await s.waitFor("decision.requested");
    expect(requested.payload).toMatchObject({
      kind: "conflict",
      taskIds: ["p", "s"],
      paths: ["shared/util.ts"],
    });
    expect(
      await s.control(goalId, { action: "approve", decisionId: requested.payload.decisionId }),
    ).toMatchObject({ ok: false });
    expect(
      await s.control(goalId, { action: "approve", decisionId: `${goalId}:99`, winner: "p" }),
    ).toMatchObject({ ok: false });
    const answer = await s.control(goalId, {
      action: "approve",
      decisionId: requested.payload.decisionId,
      winner: "p",
    });
    expect(answer.ok).toBe(true);
    await s.waitFor("task.dispatched", (e) => e.payload.taskId === "s" && e.payload.attempt === 2);
    await s.propose(
      goalId,
      { taskId: "s", role: "security", attempt: 2, base: pHead },
      { "shared/util.ts": "ONE\ntwo\ntres\n" },
    );
    const done = await s.waitFor("goal.done");
    expect(s.repo.git("show", `${done.payload.branch}:shared/util.ts`)).toBe("ONE\ntwo\ntres");
  });
});

describe("review on a real coordinator", () => {
  it("a write outside the proposer's ownership becomes a change request to the owner; its own part is kept", async () => {
    await using s = await startScenario(files());
    const { goalId, base } = await s.submit([task("b", "backend", ["src/**"])]);
    await s.propose(
      goalId,
      { taskId: "b", role: "backend", attempt: 1, base },
      { "src/api.ts": "export const api = 2;\n", "src/auth.ts": "export const secret = process.env.S;\n" },
    );
    const accepted = await s.waitFor("proposal.accepted", (e) => e.payload.taskId === "b");
    expect(accepted.payload.reason).toMatch(/src\/auth.ts \(owner: security\) sent to their owners/);
    const request = await s.waitFor("change.requested");
    expect(request.payload).toMatchObject({
      fromTask: "b",
      fromRole: "backend",
      toRole: "security",
      paths: ["src/auth.ts"],
    });
    await s.waitFor(
      "task.dispatched",
      (e) => e.payload.taskId === request.payload.taskId && e.payload.role === "security",
    );
    await s.propose(
      goalId,
      { taskId: request.payload.taskId, role: "security", attempt: 1, base },
      { "src/auth.ts": "export const secret = process.env.S;\n" },
    );
    const done = await s.waitFor("goal.done");
    const log = s.repo.git(
      "log",
      "--format=%(trailers:key=Guild-Role,valueonly)",
      "--merges",
      done.payload.branch,
    );
    expect(log.split("\n").filter(Boolean).sort()).toEqual(["backend", "security"]);
    expect(s.repo.git("show", `${done.payload.branch}:src/auth.ts`)).toBe(
      "export const secret = process.env.S;",
    );
    expect(s.repo.git("show", `${done.payload.branch}:src/api.ts`)).toBe("export const api = 2;");
  });

  it.each([
    ["in a bundle", false],
    ["as commits in the coordinator's repository", true],
  ])(
    "with foreignWrites: reject, a write outside ownership rejects the proposal (%s) with the paths and owners",
    async (_, sharedObjects) => {
      await using s = await startScenario(files(undefined, "foreignWrites: reject\n"));
      const { goalId, base } = await s.submit([task("b", "backend", ["src/**"])]);
      await s.propose(
        goalId,
        { taskId: "b", role: "backend", attempt: 1, base },
        { "src/auth.ts": "hacked\n" },
        { sharedObjects },
      );
      const rejected = await s.waitFor("proposal.rejected");
      expect(rejected.payload.reason).toBe(
        "changes paths backend does not own: src/auth.ts (owner: security)",
      );
      const failed = await s.waitFor("goal.failed");
      expect(failed.payload.reason).toBe("no task produced an accepted proposal");
    },
  );

  it.each([
    ["in a bundle", false],
    ["as commits in the coordinator's repository", true],
  ])("a protected path (%s) waits for a person; approved, it is merged", async (_, sharedObjects) => {
    await using s = await startScenario(files());
    const { goalId, base } = await s.submit([task("b", "backend", ["src/**"])]);
    await s.propose(
      goalId,
      { taskId: "b", role: "backend", attempt: 1, base },
      { "src/api.ts": "export const api = 3;\n", "guild.yaml": `${files()["guild.yaml"]}# tweaked\n` },
      { sharedObjects },
    );
    const requested = await s.waitFor("decision.requested");
    expect(requested.payload).toMatchObject({ kind: "protected", taskIds: ["b"], paths: ["guild.yaml"] });
    const answer = await s.control(goalId, { action: "approve", decisionId: requested.payload.decisionId });
    expect(answer).toMatchObject({ ok: true });
    expect(
      await s.control(goalId, { action: "approve", decisionId: requested.payload.decisionId }),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/already approved/) });
    const done = await s.waitFor("goal.done");
    expect(s.repo.git("show", `${done.payload.branch}:guild.yaml`)).toMatch(/# tweaked$/);
  });

  it("a merge that breaks the tests is traced to its proposal, which is sent back with the failing output", async () => {
    await using s = await startScenario(files());
    const { goalId, base } = await s.submit([
      task("d", "docs", ["shared/**"]),
      task("b", "backend", ["src/**"]),
    ]);
    await s.propose(
      goalId,
      { taskId: "d", role: "docs", attempt: 1, base },
      { "shared/util.ts": "one\ntwo\nthree\nfour\n" },
    );
    await s.propose(
      goalId,
      { taskId: "b", role: "backend", attempt: 1, base },
      { "src/api.ts": "export const api = 'BROKEN';\n" },
    );
    const culprit = await s.waitFor("verify.culprit_found");
    expect(culprit.payload.taskId).toBe("b");
    expect(culprit.payload.output).toMatch(/api is broken/);
    await s.waitFor("task.dispatched", (e) => e.payload.taskId === "b" && e.payload.attempt === 2);
    await s.propose(
      goalId,
      { taskId: "b", role: "backend", attempt: 2, base },
      { "src/api.ts": "export const api = 'fixed';\n" },
    );
    const done = await s.waitFor("goal.done");
    expect(s.repo.git("show", `${done.payload.branch}:src/api.ts`)).toBe("export const api = 'fixed';");
    expect(s.repo.git("show", `${done.payload.branch}:shared/util.ts`)).toBe("one\ntwo\nthree\nfour");
  });
});
