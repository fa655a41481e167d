import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UNTRUSTED_DATA_NOTICE } from "../../../../src/agents/brains/index.js";
import { isGuildError } from "../../../../src/protocol/index.js";
import { startScriptedOpenAI } from "../../../helpers/scripted-llm/index.js";
import { runOpenAIBrain } from "./brain-fixture.js";

const FIXED =
  'export function add(x: number, y: number): number {\n  if (Number.isNaN(x + y)) throw new Error("NaN");\n  return x + y;\n}\n';

function script() {
  return [
    {
      text: "Reading the file first.",
      toolCalls: [{ name: "read_file", input: { path: "src/a.ts" } }],
      usage: { input: 100, output: 20 },
    },
    {
      toolCalls: [{ name: "write_file", input: { path: "src/a.ts", content: FIXED } }],
      usage: { input: 150, output: 40 },
    },
    {
      toolCalls: [{ name: "finish", input: { summary: "add rejects NaN" } }],
      usage: { input: 200, output: 10 },
    },
  ];
}

describe("openai brain through the real SDK", () => {
  for (const stream of [true, false]) {
    it(`works a task with tools (${stream ? "SSE streaming" : "JSON"})`, async () => {
      await using server = await startScriptedOpenAI(script());
      const { steps, error, repo } = await runOpenAIBrain(server, { stream });
      using _ = repo;
      expect(error).toBeUndefined();
      server.assertDone();
      expect(steps.map((s) => s.kind)).toEqual([
        "thought", // context packing
        "thought",
        "tool_call",
        "tool_result",
        "tool_call",
        "tool_result",
        "tool_call",
        "tool_result",
        "summary",
      ]);
      expect(steps[1]).toEqual({
        kind: "thought",
        text: "Reading the file first.",
        usage: { inputTokens: 100, outputTokens: 20 },
      });
      expect(steps[4]).toMatchObject({
        kind: "tool_call",
        tool: "write_file",
        usage: { inputTokens: 150, outputTokens: 40 },
      });
      expect(steps.at(-1)).toEqual({ kind: "summary", text: "add rejects NaN" });
      expect(readFileSync(join(repo.path, "src/a.ts"), "utf8")).toBe(FIXED);

      const first = server.requests[0]?.body as {
        messages: Array<{ role: string; content: string }>;
        tools: unknown[];
        stream?: boolean;
      };
      expect(first.stream ?? false).toBe(stream);
      expect(first.messages[0]?.role).toBe("system");
      expect(first.messages[0]?.content).toContain(UNTRUSTED_DATA_NOTICE);
      expect(first.messages[1]?.content).toContain("L1-3 export function add(x: number, y: number): number");
      expect(first.tools).toHaveLength(11);
      const second = server.requests[1]?.body as {
        messages: Array<{ role: string; content: string; tool_call_id?: string }>;
      };
      const toolMessage = second.messages.at(-1);
      expect(toolMessage?.role).toBe("tool");
      expect(toolMessage?.content).toMatch(/^<<<UNTRUSTED REPOSITORY DATA file=src\/a.ts/);
      expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-test");
    });
  }

  it("retries 429 and 500 with backoff, then succeeds", async () => {
    await using server = await startScriptedOpenAI([
      { error: 429, retryAfterMs: 5 },
      { error: 500, retryAfterMs: 5 },
      { toolCalls: [{ name: "finish", input: { summary: "nothing to do" } }] },
    ]);
    const { steps, error, repo } = await runOpenAIBrain(server, { model: "m", apiKey: "k" });
    using _ = repo;
    expect(error).toBeUndefined();
    expect(steps.at(-1)).toEqual({ kind: "summary", text: "nothing to do" });
    expect(server.requests).toHaveLength(3);
    server.assertDone();
  });

  it("fails with brain.failed when retries run out, without leaking the key", async () => {
    await using server = await startScriptedOpenAI([
      { error: 503, retryAfterMs: 1 },
      { error: 503, retryAfterMs: 1 },
    ]);
    const { error, repo } = await runOpenAIBrain(server, {
      model: "m",
      apiKey: "sk-secretsecret1234",
      maxRetries: 1,
    });
    using _ = repo;
    expect(isGuildError(error, "brain.failed")).toBe(true);
    expect(String((error as Error).message)).not.toContain("sk-secretsecret1234");
    server.assertDone();
  });

  it("times out a call that hangs", async () => {
    await using server = await startScriptedOpenAI([{ delayMs: 2000, text: "late" }]);
    const { error, repo } = await runOpenAIBrain(server, {
      model: "m",
      apiKey: "k",
      timeoutMs: 100,
      maxRetries: 0,
    });
    using _ = repo;
    expect(isGuildError(error, "brain.failed")).toBe(true);
    expect((error as Error).message).toMatch(/timed out/i);
    server.assertDone();
  });
});
