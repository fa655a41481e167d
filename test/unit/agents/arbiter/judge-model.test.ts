import { describe, expect, it } from "vitest";
import { judgeModelOf, startArbiterService } from "../../../../src/agents/arbiter/index.js";
import { MemoryBus } from "../../../../src/bus/index.js";
import { type BrainConfig, isGuildError } from "../../../../src/protocol/index.js";

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("judgeModelOf", () => {
  it("names the judge after its provider and model; a local OpenAI-compatible server needs no key", () => {
    expect(
      judgeModelOf({ kind: "openai", model: "qwen" }, { OPENAI_BASE_URL: "http://127.0.0.1:1/v1" }).name,
    ).toBe("openai:qwen");
    expect(
      judgeModelOf({ kind: "anthropic", model: "claude-x" }, { ANTHROPIC_API_KEY: "k" }).model.model,
    ).toBe("claude-x");
  });

  it("refuses a hosted provider without its key, and a brain that is no LLM", () => {
    expect(
      isGuildError(
        errorOf(() => judgeModelOf({ kind: "anthropic", model: "m" }, {})),
        "brain.failed",
      ),
    ).toBe(true);
    for (const config of [{ kind: "offline" }, { kind: "scripted", delayMs: 0 }] satisfies BrainConfig[]) {
      expect(
        isGuildError(
          errorOf(() => judgeModelOf(config, {})),
          "config.invalid",
        ),
      ).toBe(true);
    }
  });

  it("an arbiter service with an unusable brain fails to start instead of serving errors", async () => {
    const bus = new MemoryBus();
    await expect(
      startArbiterService(bus, { brainConfig: { kind: "openai", model: "m" }, env: {} }),
    ).rejects.toThrow("OPENAI_API_KEY is not set");
    await bus.close();
  });
});
