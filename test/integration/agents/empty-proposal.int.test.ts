import { describe, expect, it } from "vitest";
import { MemoryBus } from "../../../src/bus/index.js";
import { submitGoal } from "../../../src/cli/commands/goal.js";
import { collectOutput } from "../../../src/cli/output.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import { createLogger } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { checkoutHost } from "../../helpers/host-config.js";
import { startScriptedOpenAI } from "../../helpers/scripted-llm/index.js";

describe("a task that reports writes but commits nothing", () => {
  it("fails with the reason instead of proposing an empty change as success", async () => {
    // The model rewrites a file with the content it already has: the write succeeds, the commit is empty.
    const attempt = [
      { toolCalls: [{ name: "write_file", input: { path: "docs/README.md", content: "docs\n" } }] },
      { toolCalls: [{ name: "finish", input: { summary: "rewrote the docs" } }] },
    ];
    // Every attempt (the coordinator retries a failed task) does the same.
    await using llm = await startScriptedOpenAI([...attempt, ...attempt, ...attempt]);
    using repo = tempRepo({
      "guild.yaml": `version: 1
rules:
  - { pattern: "docs/**", owners: ["@docs"] }
roles:
  docs: { brain: { kind: openai, model: m, baseURL: "${llm.baseURL}" } }
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
        { repo: repo.path, wait: true, plan, goalId: "g-empty", timeoutMs: 60_000 },
        collectOutput(),
      );
      const failed = result.events.find((e) => e.type === "task.failed");
      expect(failed?.type === "task.failed" && failed.payload.reason).toMatch(
        // The attempt check sees the unchanged worktree first; the commit check backs it for writes git drops.
        /the attempt made no change|reported 1 write\(s\) \(wrote docs\/README\.md.*\) but its commit holds no change/,
      );
      expect(result.events.some((e) => e.type === "proposal.received")).toBe(false);
      expect(result.status).not.toBe("done");
    } finally {
      await guild.stop();
      await bus.close();
    }
  });
});
