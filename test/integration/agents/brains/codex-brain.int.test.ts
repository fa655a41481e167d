import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCodexBrain } from "../../../../src/agents/brains/index.js";
import { judgeNoChange } from "../../../../src/agents/specialist/attempt-outcome.js";
import { isGuildError } from "../../../../src/protocol/index.js";
import { startScriptedResponses } from "../../../helpers/scripted-llm/index.js";
import { runBrain } from "./brain-fixture.js";
import {
  BIN,
  expectCancelledMidRequest,
  externalFixture,
  guildEnv,
  online,
  sentText,
  summaryOf,
} from "./external-fixture.js";

// The real codex CLI against a local server speaking the Responses API (streamed).
function brainFor(baseURL: string) {
  return createCodexBrain({
    model: "scripted",
    baseURL,
    executable: join(BIN, "codex"),
    env: ["OPENAI_API_KEY", "GUILD_PASSED_VAR"],
    from: guildEnv({ OPENAI_API_KEY: "sk-codex-test-key" }),
    prices: { scripted: { input: 1, output: 2 } },
  });
}

describe("codex brain on the real codex CLI", () => {
  it("turns codex's events into steps, keeps owned edits, sends another role's path to its owner, passes only env", async () => {
    const f = externalFixture(undefined, online);
    using _ = f.repo;
    await using llm = await startScriptedResponses([
      {
        toolCalls: [
          {
            name: "exec_command",
            input: {
              cmd: "printf 'export const a = 2;\\n' > src/a.ts && printf '# guide\\nby codex\\n' > docs/guide.md",
            },
          },
        ],
        usage: { input: 100, output: 20 },
      },
      { toolCalls: [{ name: "exec_command", input: { cmd: "env" } }], usage: { input: 120, output: 10 } },
      { text: "Changed src/a.ts and the guide.", usage: { input: 150, output: 8 } },
    ]);
    const { steps, error } = await runBrain(brainFor(llm.baseURL), f.context);
    expect(error).toBeUndefined();
    expect(readFileSync(join(f.repo.path, "src/a.ts"), "utf8")).toBe("export const a = 2;\n");
    // The harvest put the guide back and recorded codex's version for its owner.
    expect(readFileSync(join(f.repo.path, "docs/guide.md"), "utf8")).toBe("# guide\n");
    expect(f.tools.foreignWrites?.()).toEqual([
      { path: "docs/guide.md", content: "# guide\nby codex\n", owner: "docs" },
    ]);
    expect(f.denied.map((d) => d.path)).toEqual(["docs/guide.md"]);
    const third = sentText(llm.requests[2]?.body ?? {});
    expect(third).toContain("GUILD_PASSED_VAR=passed-value");
    expect(third).not.toContain("GUILD_OTHER_ROLE_KEY");
    expect(third).not.toContain("sk-other-role-secret");
    expect(steps).toContainEqual(expect.objectContaining({ kind: "tool_result", tool: "command", ok: true }));
    const usage = steps.flatMap((s) => ("usage" in s && s.usage ? [s.usage] : []));
    expect(usage.reduce((n, u) => n + u.inputTokens + u.outputTokens, 0)).toBe(100 + 20 + 120 + 10 + 150 + 8);
    expect(steps).toContainEqual({ kind: "thought", text: "codex: estimated cost 0.0004" });
    expect(summaryOf(steps)).toContain("codex exit code 0; kept 1 changed path(s): src/a.ts");
    expect(summaryOf(steps)).toContain("Changed src/a.ts and the guide.");
  }, 60_000);

  it("a codex that exits 0 having changed nothing fails the attempt with the reason, unless it says why", async () => {
    const f = externalFixture(undefined, online);
    using _ = f.repo;
    await using llm = await startScriptedResponses([
      { text: "Looked at it." },
      { text: "No changes needed: add already rejects NaN in src/a.ts." },
    ]);
    const first = await runBrain(brainFor(llm.baseURL), f.context);
    expect(first.error).toBeUndefined();
    const failure = await judgeNoChange(f.repo.path, summaryOf(first.steps), { refusals: [] }).catch(
      (e: unknown) => e,
    );
    expect(isGuildError(failure, "brain.failed")).toBe(true);
    expect((failure as Error).message).toMatch(/^the attempt made no change; it did not say why/);
    const second = await runBrain(brainFor(llm.baseURL), f.context);
    expect(await judgeNoChange(f.repo.path, summaryOf(second.steps), { refusals: [] })).toBe(
      "No changes were needed: add already rejects NaN in src/a.ts.",
    );
  }, 60_000);

  it("a failing codex reports its first error line, not the tail", async () => {
    const f = externalFixture(undefined, online);
    using _ = f.repo;
    await using llm = await startScriptedResponses([]);
    const brain = createCodexBrain({
      executable: join(BIN, "codex"),
      baseURL: llm.baseURL,
      from: guildEnv({}),
      model: "--no-such-flag",
    });
    const { error } = await runBrain(brain, f.context);
    expect(isGuildError(error, "brain.failed")).toBe(true);
    expect((error as Error).message).toBe(
      "codex exit code 2: error: unexpected argument '--no-such-flag' found",
    );
    llm.assertDone();
  }, 60_000);

  it("a cancel stops codex mid-request within 5 s and leaves no process in the worktree", async () => {
    await expectCancelledMidRequest("codex", startScriptedResponses, brainFor);
  }, 60_000);
});
