import { describe, expect, it } from "vitest";
import { runUp } from "../../../src/cli/commands/up.js";
import { collectOutput } from "../../../src/cli/output.js";
import { arbitrate } from "../../../src/coordinator/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { startScriptedOpenAI } from "../../helpers/scripted-llm/index.js";
import { conflictRequest } from "../../unit/agents/arbiter/conflict-fixture.js";

describe("guild up serves what guild.yaml configures", () => {
  it("answers guild.arbiter.request with the arbiter named in guild.yaml, and nothing when none is", async () => {
    await using llm = await startScriptedOpenAI([
      { text: JSON.stringify({ decision: "pick", winner: "t-frontend", rationale: "localisation first" }) },
    ]);
    using repo = tempRepo({
      "guild.yaml": `version: 1\narbiter: { kind: openai, model: judge, baseURL: "${llm.baseURL}" }\n`,
    });
    const up = await runUp({ bus: "memory", home: repo.path, roles: [], events: false }, collectOutput());
    try {
      const decided = await arbitrate(up.connection.bus, conflictRequest(), { timeoutMs: 20_000 });
      expect(decided).toMatchObject({ ok: true, outcome: { decision: "pick", winner: "t-frontend" } });
    } finally {
      await up.stop();
    }
    using bare = tempRepo({ "README.md": "x\n" });
    const plain = await runUp({ bus: "memory", home: bare.path, roles: [], events: false }, collectOutput());
    try {
      const none = await arbitrate(plain.connection.bus, conflictRequest(), { timeoutMs: 5_000 });
      expect(none).toMatchObject({ ok: false, reason: expect.stringMatching(/no arbiter serves/) });
    } finally {
      await plain.stop();
    }
  });
});
