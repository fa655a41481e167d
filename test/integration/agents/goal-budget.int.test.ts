import { describe, expect, it } from "vitest";
import { addGoalTokens } from "../../../src/agents/specialist/goal-tokens.js";
import { MemoryBus } from "../../../src/bus/index.js";
import { submitGoal } from "../../../src/cli/commands/goal.js";
import { collectOutput } from "../../../src/cli/output.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import { createLogger } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { checkoutHost } from "../../helpers/host-config.js";
import { startScriptedOpenAI } from "../../helpers/scripted-llm/index.js";

describe("the goal's token budget in a running guild", () => {
  it("ends a task whose model spends past what the goal has left, as a partial proposal", async () => {
    await using llm = await startScriptedOpenAI([
      {
        toolCalls: [{ name: "write_file", input: { path: "docs/a.md", content: "draft\n" } }],
        usage: { input: 80, output: 40 },
      },
    ]);
    using repo = tempRepo({
      "guild.yaml": `version: 1
rules:
  - { pattern: "docs/**", owners: ["@docs"] }
roles:
  docs: { brain: { kind: openai, model: m, baseURL: "${llm.baseURL}" } }
goalBudget: { maxTokens: 1000 }
`,
      "docs/README.md": "docs\n",
    });
    const bus = new MemoryBus();
    const guild = await startGuild({
      bus,
      host: checkoutHost(repo.path),
      logger: createLogger({ level: "silent" }),
      roles: ["docs"],
    });
    try {
      // Other agents of this goal already spent 900 of its 1,000 tokens.
      await addGoalTokens(bus.kv, "g-budget", "backend", 900);
      const plan = [
        {
          taskId: "d",
          role: "docs",
          title: "docs",
          instructions: "write",
          expectedPaths: ["docs/**"],
          dependsOn: [],
        },
      ];
      const result = await submitGoal(
        bus,
        "write docs",
        { repo: repo.path, wait: true, plan, goalId: "g-budget", timeoutMs: 60_000 },
        collectOutput(),
      );
      const exceeded = result.events.find((e) => e.type === "task.budget_exceeded");
      expect(exceeded?.type === "task.budget_exceeded" && exceeded.payload).toMatchObject({
        budget: "goal_tokens",
        limit: 1000,
      });
      const received = result.events.find((e) => e.type === "proposal.received");
      expect(received?.type === "proposal.received" && received.payload.partial).toBe(true);
      expect(received?.type === "proposal.received" && received.payload.changedPaths).toEqual(["docs/a.md"]);
    } finally {
      await guild.stop();
      await bus.close();
    }
  });
});
