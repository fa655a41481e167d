import { describe, expect, it } from "vitest";
import { createBrain } from "../../../../src/agents/brains/index.js";
import { startScriptedAnthropic, startScriptedOpenAI } from "../../../helpers/scripted-llm/index.js";
import { brainFixture, runBrain } from "./brain-fixture.js";

const FINISH = {
  toolCalls: [{ name: "finish", input: { summary: "done" } }],
  usage: { input: 800_000, output: 200_000 },
};

describe("createBrain end to end", () => {
  it("talks to a keyless OpenAI-compatible server from config and reports the estimated cost", async () => {
    await using server = await startScriptedOpenAI([FINISH]);
    const { repo, context } = brainFixture();
    using _ = repo;
    const brain = createBrain(
      { kind: "openai", model: "local-coder", baseURL: server.baseURL },
      {},
      {
        prices: { "local-coder": { input: 1, output: 4 } },
      },
    );
    const { steps, error } = await runBrain(brain, context);
    expect(error).toBeUndefined();
    expect(steps.slice(-2)).toEqual([
      { kind: "thought", text: "usage: 1000000 tokens in 1 steps, estimated cost 1.6000" },
      { kind: "summary", text: "done" },
    ]);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer not-needed");
  });

  it("takes the Anthropic endpoint and key from the environment", async () => {
    await using server = await startScriptedAnthropic([FINISH]);
    const { repo, context } = brainFixture();
    using _ = repo;
    const brain = createBrain(
      { kind: "anthropic", model: "claude-x" },
      { ANTHROPIC_BASE_URL: server.baseURL, ANTHROPIC_API_KEY: "sk-ant-env" },
      { stream: false },
    );
    const { steps, error } = await runBrain(brain, context);
    expect(error).toBeUndefined();
    expect(steps.at(-1)).toEqual({ kind: "summary", text: "done" });
    expect(server.requests[0]?.body.stream).toBeUndefined();
  });
});
