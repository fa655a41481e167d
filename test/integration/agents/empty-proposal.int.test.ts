import { describe, expect, it } from "vitest";
import { runDocsGoal } from "../../helpers/docs-goal.js";
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
    const result = await runDocsGoal(llm.baseURL, "g-empty");
    const failed = result.events.find((e) => e.type === "task.failed");
    expect(failed?.type === "task.failed" && failed.payload.reason).toMatch(
      // The attempt check sees the unchanged worktree first; the commit check backs it for writes git drops.
      /the attempt made no change|reported 1 write\(s\) \(wrote docs\/README\.md.*\) but its commit holds no change/,
    );
    expect(result.events.some((e) => e.type === "proposal.received")).toBe(false);
    expect(result.status).not.toBe("done");
  });
});
