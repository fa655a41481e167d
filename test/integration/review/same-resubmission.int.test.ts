import { describe, expect, it } from "vitest";
import { startScenario, task } from "./scenario.js";

const FILES = {
  "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
roles: { backend: {} }
testCommand: ["node", "check.mjs"]
`,
  "check.mjs": `import { readFileSync } from "node:fs";
if (readFileSync("src/api.ts", "utf8").includes("BROKEN")) { console.error("api is broken"); process.exit(1); }
`,
  "src/api.ts": "export const api = 1;\n",
};

describe("a task sent back that proposes the same thing again", () => {
  it("fails with the reason after a verify failure instead of burning another round", async () => {
    await using s = await startScenario(FILES);
    const { goalId, base } = await s.submit([task("b", "backend", ["src/**"])]);
    const broken = { "src/api.ts": "export const api = 'BROKEN';\n" };
    await s.propose(goalId, { taskId: "b", role: "backend", attempt: 1, base }, broken);
    await s.waitFor("verify.culprit_found");
    await s.propose(goalId, { taskId: "b", role: "backend", attempt: 2, base }, broken);
    const rejected = await s.waitFor("proposal.rejected");
    expect(rejected.payload.reason).toMatch(
      /^attempt 2 proposes the same tree as the proposal sent back before \(Merging your change made the project's tests fail .*\); not retried$/,
    );
    const failed = await s.waitFor("goal.failed");
    expect(failed.payload.reason).toBe("no task produced an accepted proposal");
    const dispatched = s.events.filter((e) => e.type === "task.dispatched").map((e) => e.payload.attempt);
    expect(dispatched).toEqual([1, 2]);
  });

  it("fails with the reason after a review rejection", async () => {
    await using s = await startScenario(FILES);
    const { goalId, base } = await s.submit([task("b", "backend", ["src/**"])]);
    await s.propose(goalId, { taskId: "b", role: "backend", attempt: 1, base }, {}, { rationale: "done" });
    const first = await s.waitFor("proposal.rejected");
    expect(first.payload.reason).toMatch(/changes nothing and does not say why/);
    await s.propose(goalId, { taskId: "b", role: "backend", attempt: 2, base }, {}, { rationale: "done" });
    const second = await s.waitFor("proposal.rejected", (e) => e.payload.proposalId === "b-2");
    expect(second.payload.reason).toMatch(
      /^attempt 2 proposes the same tree as the proposal sent back before \(the proposal changes nothing/,
    );
    await s.waitFor("goal.failed");
  });
});
