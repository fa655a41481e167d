import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isGuildError } from "../../../src/protocol/index.js";
import { startScriptedOpenAI } from "../../helpers/scripted-llm/index.js";
import { runOpenAIBrain } from "../agents/brains/brain-fixture.js";

describe("bounded model replies", () => {
  it("stops a 60 MB reply before the SDK decodes it, says why, and fails the task with that reason", async () => {
    await using server = await startScriptedOpenAI([{ floodBytes: 60 * 1024 ** 2 }]);
    const { steps, error, repo } = await runOpenAIBrain(server, { maxRetries: 0 });
    using _ = repo;
    expect(isGuildError(error, "brain.failed")).toBe(true);
    expect((error as Error).message).toMatch(
      /reply stopped: one line of the model's reply passed 1048576 bytes/,
    );
    expect(steps.at(-1)).toMatchObject({ kind: "thought", text: expect.stringMatching(/reply stopped/) });
    expect(readFileSync(join(repo.path, "src/a.ts"), "utf8")).toContain("return x + y;");
  });

  it("stops a reply past its byte cap even when it comes in small lines", async () => {
    await using server = await startScriptedOpenAI([
      {
        toolCalls: [{ name: "write_file", input: { path: "src/a.ts", content: "y".repeat(3 * 1024 ** 2) } }],
      },
    ]);
    const { error, repo } = await runOpenAIBrain(server, {
      maxRetries: 0,
      replyLimits: { maxBytes: 1024 ** 2 },
    });
    using _ = repo;
    expect((error as Error).message).toMatch(/reply stopped: the model's reply passed 1048576 bytes/);
  });

  it("cuts a never-ending reply at its deadline", async () => {
    await using server = await startScriptedOpenAI([{ drip: true }]);
    const started = Date.now();
    const { steps, error, repo } = await runOpenAIBrain(server, {
      maxRetries: 0,
      replyLimits: { deadlineMs: 1500 },
    });
    using _ = repo;
    expect((error as Error).message).toMatch(
      /reply stopped: the model's reply did not finish within 1500 ms/,
    );
    expect(steps.at(-1)).toMatchObject({ kind: "thought" });
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
