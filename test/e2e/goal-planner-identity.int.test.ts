import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { startGuild } from "../../src/cli/runtime/start-guild.js";
import { createLogger } from "../../src/protocol/index.js";
import { docsRepo } from "../helpers/docs-goal.js";
import { spawnGuildProcess } from "../helpers/guild-process.js";
import { checkoutHost } from "../helpers/host-config.js";
import { identityServer } from "../helpers/identity-server.js";
import { startScriptedOpenAI } from "../helpers/scripted-llm/index.js";

const MAIN = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

const DRAFT = {
  tasks: [
    {
      id: "docs-readme",
      role: "docs",
      title: "Say what the docs cover",
      instructions: "Rewrite docs/README.md.",
      expectedPaths: ["docs/README.md"],
      dependsOn: [],
    },
  ],
};

describe("a goal planned by an LLM planner that runs under the planner identity", () => {
  it("`guild serve planner --creds planner.nk` plans it; the coordinator, the docs agent and the operator each hold their own key", async () => {
    await using ids = await identityServer({ roles: ["docs"], replicas: 1 });
    const { server, written } = ids;
    await using plannerLlm = await startScriptedOpenAI([
      { toolCalls: [{ name: "submit_plan", input: DRAFT }] },
    ]);
    await using docsLlm = await startScriptedOpenAI([
      { toolCalls: [{ name: "write_file", input: { path: "docs/README.md", content: "docs, planned\n" } }] },
      { toolCalls: [{ name: "finish", input: { summary: "rewrote the docs" } }] },
    ]);
    using repo = docsRepo(
      docsLlm.baseURL,
      `planner: { kind: openai, model: planner-x, baseURL: "${plannerLlm.baseURL}" }\n`,
    );
    // The planner alone in a process of its own, with nothing but the planner's key.
    await using planner = await spawnGuildProcess(
      MAIN,
      { NATS_URL: server.url, NATS_CREDS: "" },
      {
        args: ["--creds", written.files.planner, "serve", "planner", "--home", repo.path],
        ready: /planner serving guild\.plan\.request with openai:planner-x/,
      },
    );
    const logger = createLogger({ level: "silent" });
    const coordinatorBus = await ids.as("coordinator", true);
    const agentBus = await ids.as("agent-docs");
    const operator = await ids.as("operator");
    // The coordinator's process serves no planner: without the planner process no one would answer.
    const coordinator = await startGuild({ bus: coordinatorBus, logger, roles: [] });
    const agents = await startGuild({
      bus: agentBus,
      logger,
      roles: ["docs"],
      coordinator: false,
      host: checkoutHost(repo.path),
    });
    try {
      const result = await submitGoal(
        operator,
        "say what the docs cover",
        { repo: repo.path, wait: true, timeoutMs: 120_000 },
        collectOutput(),
      );
      const failed = result.events.find((e) => e.type === "goal.failed" || e.type === "plan.rejected");
      expect(failed ? JSON.stringify(failed.payload) : "").toBe("");
      expect(result.status).toBe("done");
      const plan = result.events.find((e) => e.type === "plan.created");
      expect(plan?.type === "plan.created" && plan.payload.planner).toBe("openai:planner-x");
      expect(plan?.type === "plan.created" && plan.payload.tasks.map((t) => t.taskId)).toEqual([
        "docs-readme",
      ]);
      expect(plannerLlm.requests.length).toBe(1);
      // Nothing any identity sent was refused or dropped on the way.
      const rejected = (await operator.events.read()).filter((e) => e.type === "bus.message.rejected");
      expect(rejected).toEqual([]);
      expect(planner.output()).not.toMatch(/Permissions Violation/);
    } finally {
      await agents.stop();
      await coordinator.stop();
    }
  }, 180_000);
});
