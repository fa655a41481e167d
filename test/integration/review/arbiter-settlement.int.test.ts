import { describe, expect, it } from "vitest";
import { startArbiterService } from "../../../src/agents/index.js";
import { startScriptedOpenAI } from "../../helpers/scripted-llm/index.js";
import { startScenario } from "./scenario.js";

const FILES = {
  "guild.yaml": `version: 1
rules:
  - { pattern: "shared/**", owners: ["@docs", "@performance", "@security"] }
roles: { security: {}, performance: {}, docs: {} }
settlement: [ownership, arbiter, human]
`,
  "shared/util.ts": "one\ntwo\nthree\n",
};

describe("settlement by the LLM arbiter on a real coordinator", () => {
  it("asks the arbiter (a real SDK against a scripted server) and merges its combination of both sides", async () => {
    await using llm = await startScriptedOpenAI([
      {
        text: JSON.stringify({
          decision: "combine",
          files: [{ path: "shared/util.ts", content: "ONE uno\ntwo\nthree\n" }],
          rationale: "Both renames are wanted; keep both words.",
        }),
      },
    ]);
    await using s = await startScenario(FILES);
    const service = await startArbiterService(s.bus, {
      brainConfig: { kind: "openai", model: "judge", baseURL: llm.baseURL },
    });
    try {
      await s.conflictingPair("shared/util.ts", "shared/**", "ONE\ntwo\nthree\n", "uno\ntwo\nthree\n");
      const settled = await s.waitFor("conflict.settled");
      expect(settled.payload.policy).toBe("arbiter");
      expect(settled.payload.reason).toMatch(/Both renames are wanted/);
      const done = await s.waitFor("goal.done", () => true, 60_000);
      expect(s.repo.git("show", `${done.payload.branch}:shared/util.ts`)).toBe("ONE uno\ntwo\nthree");
      expect(s.events.some((e) => e.type === "decision.requested")).toBe(false);
    } finally {
      await service.unsubscribe();
    }
  });

  it("moves on to a person when no arbiter answers", async () => {
    await using s = await startScenario(FILES);
    await s.conflictingPair("shared/util.ts", "shared/**", "ONE\ntwo\nthree\n", "uno\ntwo\nthree\n");
    const requested = await s.waitFor("decision.requested");
    expect(requested.payload.kind).toBe("conflict");
    const raised = s.events.find((e) => e.type === "error.raised");
    expect(raised?.type === "error.raised" && raised.payload.message).toMatch(
      /arbiter: no arbiter serves guild.arbiter.request/,
    );
  });
});
