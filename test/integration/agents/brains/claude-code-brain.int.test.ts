import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createClaudeCodeBrain } from "../../../../src/agents/brains/index.js";
import { judgeNoChange } from "../../../../src/agents/specialist/attempt-outcome.js";
import { isGuildError } from "../../../../src/protocol/index.js";
import { startScriptedAnthropic } from "../../../helpers/scripted-llm/index.js";
import { runBrain } from "./brain-fixture.js";
import {
  expectCancelledMidRequest,
  externalFixture,
  guildEnv,
  online,
  sentText,
  summaryOf,
} from "./external-fixture.js";

// The real Claude Code (the Agent SDK's bundled binary) against a local server speaking the Messages API.
function brainFor(baseURL: string, extra: { timeoutMs?: number } = {}) {
  return createClaudeCodeBrain({
    model: "claude-scripted",
    env: ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "GUILD_PASSED_VAR"],
    from: guildEnv({ ANTHROPIC_API_KEY: "sk-ant-test-key", ANTHROPIC_BASE_URL: baseURL }),
    ...extra,
  });
}

describe("claude-code brain on the real Claude Code", () => {
  it("keeps owned edits, refuses another role's path at once and records it for the owner, passes only env", async () => {
    const f = externalFixture(undefined, online);
    using _ = f.repo;
    const guide = join(f.repo.path, "docs/guide.md");
    await using llm = await startScriptedAnthropic([
      { toolCalls: [{ name: "Write", input: { file_path: guide, content: "# guide\nby backend\n" } }] },
      {
        toolCalls: [
          {
            name: "Write",
            input: { file_path: join(f.repo.path, "src/a.ts"), content: "export const a = 2;\n" },
          },
        ],
      },
      { toolCalls: [{ name: "Bash", input: { command: "env", description: "show env" } }] },
      { text: "Changed src/a.ts; the guide change went to docs." },
    ]);
    const { steps, error } = await runBrain(brainFor(llm.baseURL), f.context);
    expect(error).toBeUndefined();
    expect(readFileSync(join(f.repo.path, "src/a.ts"), "utf8")).toBe("export const a = 2;\n");
    expect(readFileSync(guide, "utf8")).toBe("# guide\n");
    // The refusal reached the agent in its very next request, with the reason.
    const second = sentText(llm.requests[1]?.body ?? {});
    expect(second).toContain("role backend does not own docs/guide.md");
    expect(second).toContain("goes to role docs as a change request");
    expect(f.denied.map((d) => d.path)).toEqual(["docs/guide.md"]);
    expect(f.tools.foreignWrites?.()).toEqual([
      { path: "docs/guide.md", content: "# guide\nby backend\n", owner: "docs" },
    ]);
    // What `env` printed inside Claude Code's Bash tool: the passed variable, no other role's key.
    const fourth = sentText(llm.requests[3]?.body ?? {});
    expect(fourth).toContain("GUILD_PASSED_VAR=passed-value");
    expect(fourth).not.toContain("GUILD_OTHER_ROLE_KEY");
    expect(fourth).not.toContain("sk-other-role-secret");
    const summary = steps.at(-1);
    expect(summary?.kind === "summary" && summary.text).toContain("kept 1 changed path(s): src/a.ts");
    expect(steps.some((s) => s.kind === "thought" && s.usage && s.text.includes("1 permission denial"))).toBe(
      true,
    );
    // The agent's own words reach the prompt check: nothing here says "no changes needed".
    expect(
      await judgeNoChange(f.repo.path, summary?.kind === "summary" ? summary.text : "", { refusals: [] }),
    ).toContain("src/a.ts");
  }, 60_000);

  it("an agent that exits having changed nothing fails the attempt with the reason, unless it says why", async () => {
    const f = externalFixture(undefined, online);
    using _ = f.repo;
    await using llm = await startScriptedAnthropic([
      {
        toolCalls: [
          { name: "Write", input: { file_path: join(f.repo.path, "src/protected.ts"), content: "x\n" } },
        ],
      },
      { text: "I could not change it." },
      { text: "No changes needed: add already rejects NaN in src/a.ts." },
    ]);
    const first = await runBrain(brainFor(llm.baseURL), f.context);
    expect(first.error).toBeUndefined();
    const trace = { refusals: f.denied.map((d) => `${d.path}: ${d.reason}`) };
    const failure = await judgeNoChange(f.repo.path, summaryOf(first.steps), trace).catch((e: unknown) => e);
    expect(isGuildError(failure, "brain.failed")).toBe(true);
    expect((failure as Error).message).toBe(
      "the attempt made no change; its only writes were refused: src/protected.ts: src/protected.ts is a protected path; only a person may change it",
    );
    const second = await runBrain(brainFor(llm.baseURL), f.context);
    expect(await judgeNoChange(f.repo.path, summaryOf(second.steps), { refusals: [] })).toBe(
      "No changes were needed: add already rejects NaN in src/a.ts.",
    );
  }, 60_000);

  it("a cancel stops Claude Code mid-request within 5 s and leaves no process in the worktree", async () => {
    await expectCancelledMidRequest("claude-code", startScriptedAnthropic, brainFor);
  }, 60_000);
});
