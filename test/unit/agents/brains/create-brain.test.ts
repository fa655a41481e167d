import { describe, expect, it } from "vitest";
import { createBrain } from "../../../../src/agents/brains/index.js";
import { createToolSet } from "../../../../src/agents/tools/index.js";
import { BrainConfig, Budget, isGuildError } from "../../../../src/protocol/index.js";
import { tempRepo } from "../../../helpers/git-repo.js";

describe("createBrain", () => {
  it("builds each kind, taking keys and endpoints from the environment", () => {
    expect(createBrain({ kind: "openai", model: "gpt-x" }, { OPENAI_API_KEY: "k" }).name).toBe(
      "openai:gpt-x",
    );
    // A local OpenAI-compatible server needs no key.
    expect(
      createBrain({ kind: "openai", model: "qwen" }, { OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" }).name,
    ).toBe("openai:qwen");
    expect(createBrain({ kind: "anthropic", model: "claude-x" }, { ANTHROPIC_API_KEY: "k" }).name).toBe(
      "anthropic:claude-x",
    );
    expect(createBrain({ kind: "cli", command: ["codex", "exec", "{task}"] }, {}).name).toBe("cli:codex");
    expect(createBrain(BrainConfig.parse({ kind: "scripted" }), {}).name).toBe("scripted");
    expect(createBrain({ kind: "offline", skill: "security" }, {}).name).toMatch(/offline/);
  });

  it("refuses a hosted provider without its key", () => {
    for (const config of [
      { kind: "openai", model: "m" },
      { kind: "anthropic", model: "m" },
    ] as const) {
      let error: unknown;
      try {
        createBrain(config, {});
      } catch (e) {
        error = e;
      }
      expect(isGuildError(error, "brain.failed")).toBe(true);
    }
  });

  it("the scripted brain waits, changes nothing and finishes", async () => {
    using repo = tempRepo();
    const brain = createBrain({ kind: "scripted", delayMs: 5 }, {});
    const tools = createToolSet({
      workdir: repo.path,
      role: "docs",
      ownership: { canWrite: () => true, isProtected: () => false },
      allowCommands: [],
    });
    const steps = [];
    for await (const step of brain.run({
      task: {
        goalId: "g",
        goalText: "bench",
        task: {
          taskId: "t",
          role: "docs",
          title: "noop task",
          instructions: "",
          expectedPaths: [],
          dependsOn: [],
        },
        attempt: 1,
        charter: "",
      },
      tools,
      workdir: repo.path,
      signal: new AbortController().signal,
      budget: Budget.parse({}),
    })) {
      steps.push(step);
    }
    expect(steps).toEqual([
      {
        kind: "summary",
        text: "No changes needed: scripted stand-in for noop task, which names no literal path to write",
      },
    ]);
    expect(repo.git("status", "--porcelain")).toBe("");
  });
});
