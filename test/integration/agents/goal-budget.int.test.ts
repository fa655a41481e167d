import { describe, expect, it } from "vitest";
import { addGoalTokens } from "../../../src/agents/specialist/goal-tokens.js";
import { runDocsGoal } from "../../helpers/docs-goal.js";
import { startScriptedOpenAI } from "../../helpers/scripted-llm/index.js";

describe("the goal's token budget in a running guild", () => {
  it("ends a task whose model spends past what the goal has left, as a partial proposal", async () => {
    await using llm = await startScriptedOpenAI([
      {
        toolCalls: [{ name: "write_file", input: { path: "docs/a.md", content: "draft\n" } }],
        usage: { input: 80, output: 40 },
      },
    ]);
    const result = await runDocsGoal(llm.baseURL, "g-budget", {
      extra: "goalBudget: { maxTokens: 1000 }\n",
      // Other agents of this goal already spent 900 of its 1,000 tokens.
      before: (bus) => addGoalTokens(bus.kv, "g-budget", "backend", 900),
    });
    const exceeded = result.events.find((e) => e.type === "task.budget_exceeded");
    expect(exceeded?.type === "task.budget_exceeded" && exceeded.payload).toMatchObject({
      budget: "goal_tokens",
      limit: 1000,
    });
    const received = result.events.find((e) => e.type === "proposal.received");
    expect(received?.type === "proposal.received" && received.payload.partial).toBe(true);
    expect(received?.type === "proposal.received" && received.payload.changedPaths).toEqual(["docs/a.md"]);
  });
});
