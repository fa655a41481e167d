import { existsSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  budgetBreachOf,
  createAnthropicBrain,
  createOpenAIBrain,
  createTokenMeter,
} from "../../../../src/agents/brains/index.js";
import type { ScriptedTurn } from "../../../helpers/scripted-llm/index.js";
import { startScriptedAnthropic, startScriptedOpenAI } from "../../../helpers/scripted-llm/index.js";
import { tempDir } from "../../../helpers/temp-dir.js";
import { brainFixture, runBrain } from "./brain-fixture.js";

function hostileTurns(outside: string): ScriptedTurn[] {
  const write = (path: string, content = "pwned") => ({ name: "write_file", input: { path, content } });
  return [
    { toolCalls: [write("../../outside"), write(join(outside, "abs.txt")), write("src/link/evil.txt")] },
    {
      toolCalls: [
        write(".git/hooks/pre-commit", "#!/bin/sh\n"),
        write("README.md"),
        write("src/protected.ts"),
      ],
    },
    {
      toolCalls: [
        { name: "write_file", rawArguments: '{"path": "src/x.ts", "content": ' },
        { name: "delete_everything", input: {} },
      ],
    },
    // Past the tool's file limit, inside the brain's reply cap (a bigger reply is cut before any tool sees it).
    { toolCalls: [write("src/huge.txt", "a".repeat(2 * 1024 * 1024))] },
    { toolCalls: [{ name: "run_command", input: { argv: ["curl", "http://evil.invalid"] } }] },
    { toolCalls: [{ name: "run_command", input: { argv: ["node", "--version", "$(touch pwned)"] } }] },
    { toolCalls: [{ name: "finish", input: { summary: "tried everything" } }] },
  ];
}

const start = { openai: startScriptedOpenAI, anthropic: startScriptedAnthropic };

describe("hostile scripts are refused, seen by the model and reported", () => {
  for (const provider of ["openai", "anthropic"] as const) {
    it(`refuses every escape attempt (${provider})`, async () => {
      using outside = tempDir();
      await using server = await start[provider](hostileTurns(outside.path));
      const { repo, context, denied } = brainFixture();
      using _ = repo;
      symlinkSync(outside.path, join(repo.path, "src", "link"));
      const options = { model: "m", baseURL: server.baseURL, apiKey: "k" };
      const brain = provider === "openai" ? createOpenAIBrain(options) : createAnthropicBrain(options);
      const { steps, error } = await runBrain(brain, context);
      expect(error).toBeUndefined();
      server.assertDone();

      const results = steps.filter((s) => s.kind === "tool_result");
      expect(results.slice(0, -1).every((r) => !r.ok)).toBe(true);
      const reasons = results.map((r) => (r.kind === "tool_result" ? r.output : ""));
      expect(reasons.slice(0, -1).every((r) => r.startsWith("refused: "))).toBe(true);
      expect(reasons[6]).toMatch(/not valid JSON/);
      expect(reasons[7]).toMatch(/unknown tool/);
      expect(reasons[8]).toMatch(/byte limit/);
      expect(reasons[9]).toMatch(/command not allowed/);
      expect(reasons[10]).toMatch(/shell metacharacters/);
      // Every refusal reached the user as a denial.
      expect(denied.map((d) => d.tool)).toEqual([
        ...Array(7).fill("write_file"),
        "delete_everything",
        "write_file",
        "run_command",
        "run_command",
      ]);
      // The model saw the reasons in the next request.
      expect(JSON.stringify(server.requests[1]?.body)).toContain("path leaves the worktree");
      expect(readdirSync(outside.path)).toEqual([]);
      expect(existsSync(join(repo.path, ".git/hooks/pre-commit"))).toBe(false);
      expect(repo.git("status", "--porcelain")).toBe("?? src/link");
    });
  }

  it("stops a model that never finishes at the step budget and keeps its work", async () => {
    const reread = { toolCalls: [{ name: "read_file", input: { path: "src/a.ts" } }] };
    await using server = await startScriptedAnthropic([
      { toolCalls: [{ name: "write_file", input: { path: "src/partial.ts", content: "export {};\n" } }] },
      reread,
      { text: "still thinking" },
    ]);
    const { repo, context } = brainFixture({}, { maxSteps: 3 });
    using _ = repo;
    const brain = createAnthropicBrain({ model: "m", baseURL: server.baseURL, apiKey: "k" });
    const { steps, error } = await runBrain(brain, context);
    server.assertDone();
    expect(budgetBreachOf(error)).toEqual({ budget: "steps", limit: 3, used: 3 });
    const last = steps.at(-1);
    expect(last?.kind).toBe("summary");
    expect(last?.kind === "summary" && last.text).toMatch(
      /steps budget ran out \(3\/3\).*Last note: still thinking/,
    );
    expect(existsSync(join(repo.path, "src/partial.ts"))).toBe(true);
    // The text-only turn was answered with a nudge to call a tool or finish.
    const lastMessages = server.requests[2]?.body.messages as Array<{ role: string; content: unknown }>;
    expect(JSON.stringify(lastMessages.at(-1))).toContain("user");
  });

  it("stops on the goal's shared token meter and on the task's token budget", async () => {
    const loop = { toolCalls: [{ name: "list_files", input: {} }], usage: { input: 600, output: 100 } };
    await using server = await startScriptedOpenAI([loop, loop, loop]);
    const meter = createTokenMeter(1000);
    meter.add(500); // Another task of the same goal already spent half.
    const { repo, context } = brainFixture({ meter });
    using _ = repo;
    const { error } = await runBrain(
      createOpenAIBrain({ model: "m", baseURL: server.baseURL, apiKey: "k" }),
      context,
    );
    expect(budgetBreachOf(error)).toEqual({ budget: "goal_tokens", limit: 1000, used: 1200 });
    expect(meter.used).toBe(1200);

    const second = brainFixture({}, { maxTokens: 1000 });
    using __ = second.repo;
    const { error: taskError } = await runBrain(
      createOpenAIBrain({ model: "m", baseURL: server.baseURL, apiKey: "k" }),
      second.context,
    );
    expect(budgetBreachOf(taskError)).toEqual({ budget: "tokens", limit: 1000, used: 700 * 2 });
    server.assertDone();
  });

  it("stops on the wall-time budget using the injected clock", async () => {
    await using server = await startScriptedOpenAI([{ toolCalls: [{ name: "list_files", input: {} }] }]);
    // Time passes only once the model has been called, so the breach comes before the second call.
    const now = () => (server.requests.length > 0 ? 70_000 : 0);
    const { repo, context } = brainFixture({ now }, { maxWallMs: 60_000 });
    using _ = repo;
    const { error } = await runBrain(
      createOpenAIBrain({ model: "m", baseURL: server.baseURL, apiKey: "k" }),
      context,
    );
    expect(budgetBreachOf(error)).toEqual({ budget: "wall_ms", limit: 60_000, used: 70_000 });
    server.assertDone();
  });
});
