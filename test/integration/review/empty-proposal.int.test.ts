import { describe, expect, it } from "vitest";
import { startScenario, task } from "./scenario.js";

const FILES = {
  "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
roles: { backend: {} }
`,
  "src/api.ts": "export const api = 1;\n",
};

describe("a proposal that changes nothing", () => {
  it("is sent back unless the agent says why no change was needed; the goal's summary then says so", async () => {
    await using s = await startScenario(FILES);
    const { goalId, base } = await s.submit([task("b", "backend", ["src/**"])]);
    await s.propose(goalId, { taskId: "b", role: "backend", attempt: 1, base }, {}, { rationale: "done" });
    const rejected = await s.waitFor("proposal.rejected", (e) => e.payload.taskId === "b");
    expect(rejected.payload.reason).toMatch(/^the proposal changes nothing and does not say why/);
    await s.propose(
      goalId,
      { taskId: "b", role: "backend", attempt: 2, base },
      {},
      { rationale: "agent notes\nNo changes were needed: api already validates its input" },
    );
    const accepted = await s.waitFor("proposal.accepted", (e) => e.payload.taskId === "b");
    expect(accepted.payload.reason).toBe("no changes were needed: api already validates its input");
    const done = await s.waitFor("goal.done");
    expect(done.payload.summary).toBe("b: no changes were needed: api already validates its input");
  }, 60_000);
});
