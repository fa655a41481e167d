import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryBus } from "../../../src/bus/index.js";
import type { GuildEvent, TaskSpec } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { startCheckoutGuild } from "../../helpers/host-config.js";
import { startScriptedAnthropic, startScriptedOpenAI } from "../../helpers/scripted-llm/index.js";
import { recordGoal, submitDurableGoal } from "./fixtures/durable-goal.js";

const finish = (input: number, output: number) => ({
  toolCalls: [{ name: "finish", input: { summary: "No changes needed: the cost test only counts tokens" } }],
  usage: { input, output },
});

const plan: TaskSpec[] = [
  {
    taskId: "t-web",
    role: "frontend",
    title: "check web",
    instructions: "look",
    expectedPaths: ["web/a.txt"],
    dependsOn: [],
  },
  {
    taskId: "t-api",
    role: "backend",
    title: "check api",
    instructions: "look",
    expectedPaths: ["api/b.txt"],
    dependsOn: [],
  },
];

describe("a goal's cost, per role", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("adds up each role's model turns and prices them with that role's model", async () => {
    // The Anthropic SDK wants a key even for a local server; the OpenAI brain needs none with a baseURL.
    vi.stubEnv("ANTHROPIC_API_KEY", "sk-ant-local-test");
    await using openai = await startScriptedOpenAI([finish(400_000, 100_000)]);
    await using anthropic = await startScriptedAnthropic([finish(200_000, 50_000)]);
    using repo = tempRepo({
      "web/a.txt": "a\n",
      "api/b.txt": "b\n",
      "guild.yaml": [
        "version: 1",
        "rules:",
        '  - { pattern: "web/**", owners: ["@frontend"] }',
        '  - { pattern: "api/**", owners: ["@backend"] }',
        "roles:",
        `  frontend: { brain: { kind: openai, model: gpt-test, baseURL: "${openai.baseURL}" } }`,
        `  backend: { brain: { kind: anthropic, model: claude-test, baseURL: "${anthropic.baseURL}" } }`,
        "prices:",
        "  gpt-test: { input: 2, output: 8 }",
        "  claude-test: { input: 3, output: 15 }",
        "",
      ].join("\n"),
    });
    const bus = new MemoryBus();
    const guild = await startCheckoutGuild(bus, repo.path, { roles: ["frontend", "backend"] });
    try {
      await using goal = await recordGoal(bus, "g-cost");
      await submitDurableGoal(bus, repo.path, "g-cost", plan);
      const end = await goal.waitFor((e) => e.type === "goal.done" || e.type === "goal.failed", 60_000);
      const cost = goal.events.find((e) => e.type === "goal.cost") as Extract<
        GuildEvent,
        { type: "goal.cost" }
      >;
      expect(cost, JSON.stringify(end.payload)).toBeDefined();
      // frontend: 0.4M in × 2 + 0.1M out × 8 = 1.6; backend: 0.2M × 3 + 0.05M × 15 = 1.35.
      expect(cost.payload.roles).toEqual([
        { role: "backend", model: "claude-test", inputTokens: 200_000, outputTokens: 50_000, cost: 1.35 },
        { role: "frontend", model: "gpt-test", inputTokens: 400_000, outputTokens: 100_000, cost: 1.6 },
      ]);
      expect(cost.payload).toMatchObject({ inputTokens: 600_000, outputTokens: 150_000 });
      expect(cost.payload.cost).toBeCloseTo(2.95, 10);
    } finally {
      await guild.stop();
      await bus.close();
    }
  }, 90_000);
});
