import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAnthropicBrain, UNTRUSTED_DATA_NOTICE } from "../../../../src/agents/brains/index.js";
import { startScriptedAnthropic } from "../../../helpers/scripted-llm/index.js";
import { brainFixture, runBrain } from "./brain-fixture.js";

const PATCH =
  "--- a/src/a.ts\n+++ b/src/a.ts\n@@ -4 +4 @@\n-export const unused = 1;\n+export const unused = 2;\n";

describe("anthropic brain through the real SDK", () => {
  for (const stream of [true, false]) {
    it(`works a task with tool use (${stream ? "SSE streaming" : "JSON"})`, async () => {
      await using server = await startScriptedAnthropic([
        {
          text: "Looking at add.",
          toolCalls: [{ name: "find_definition", input: { symbol: "add" } }],
          usage: { input: 120, output: 30 },
        },
        {
          toolCalls: [
            { name: "apply_patch", input: { patch: PATCH } },
            { name: "write_file", input: { path: "docs/x.md", content: "x" } },
          ],
        },
        { toolCalls: [{ name: "finish", input: { summary: "bumped unused" } }] },
      ]);
      const { repo, context, denied } = brainFixture();
      using _ = repo;
      const brain = createAnthropicBrain({
        model: "claude-test",
        baseURL: server.baseURL,
        apiKey: "sk-ant-test",
        stream,
      });
      const { steps, error } = await runBrain(brain, context);
      expect(error).toBeUndefined();
      server.assertDone();
      expect(steps[1]).toEqual({
        kind: "thought",
        text: "Looking at add.",
        usage: { inputTokens: 120, outputTokens: 30 },
      });
      expect(steps.at(-1)).toEqual({ kind: "summary", text: "bumped unused" });
      expect(readFileSync(join(repo.path, "src/a.ts"), "utf8")).toContain("export const unused = 2;");
      expect(denied).toEqual([
        { tool: "write_file", path: "docs/x.md", reason: "role backend does not own docs/x.md" },
      ]);

      const first = server.requests[0];
      if (!first) throw new Error("no request recorded");
      // SDK versions differ in the header they send the key in (x-api-key, or a bearer token).
      expect(String(first.headers["x-api-key"] ?? first.headers.authorization)).toMatch(/sk-ant-test$/);
      expect(first.body.system).toContain(UNTRUSTED_DATA_NOTICE);
      const tools = first.body.tools as Array<{ name: string; input_schema: { type: string } }>;
      expect(tools[0]).toMatchObject({ name: "read_file", input_schema: { type: "object" } });
      const third = server.requests[2]?.body.messages as Array<{ role: string; content: unknown }>;
      expect(third.at(-1)).toEqual({
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: expect.any(String), content: "patched src/a.ts" },
          {
            type: "tool_result",
            tool_use_id: expect.any(String),
            content: "refused: role backend does not own docs/x.md",
            is_error: true,
          },
        ],
      });
      const second = server.requests[1]?.body.messages as Array<{
        role: string;
        content: Array<{ content?: string }>;
      }>;
      expect(second.at(-1)?.content[0]?.content).toContain(
        "export function add(x: number, y: number): number {",
      );
    });
  }

  it("retries a 429 before answering", async () => {
    await using server = await startScriptedAnthropic([
      { error: 429, retryAfterMs: 5 },
      { toolCalls: [{ name: "finish", input: { summary: "ok" } }] },
    ]);
    const { repo, context } = brainFixture();
    using _ = repo;
    const { error } = await runBrain(
      createAnthropicBrain({ model: "m", baseURL: server.baseURL, apiKey: "k" }),
      context,
    );
    expect(error).toBeUndefined();
    expect(server.requests).toHaveLength(2);
    server.assertDone();
  });
});
