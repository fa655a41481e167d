import { describe, expect, it } from "vitest";
import { startArbiterService } from "../../../src/agents/arbiter/index.js";
import { NatsBus } from "../../../src/bus/index.js";
import { arbitrate } from "../../../src/coordinator/settle/arbiter-request.js";
import { startNats } from "../../helpers/nats.js";
import { startScriptedAnthropic } from "../../helpers/scripted-llm/index.js";
import { conflictRequest } from "../../unit/agents/arbiter/conflict-fixture.js";

describe("arbitration over a real nats-server", () => {
  it("the coordinator's connection gets a verdict from an arbiter on another connection, then none once it stops", async () => {
    await using nats = await startNats();
    await using llm = await startScriptedAnthropic([
      {
        text: '{"decision":"pick","winner":"t-security","rationale":"An XSS sink outweighs a missing locale."}',
        usage: { input: 700, output: 30 },
      },
    ]);
    const arbiterBus = await NatsBus.connect({ url: nats.url, name: "guild-arbiter" });
    const coordinatorBus = await NatsBus.connect({ url: nats.url, name: "guild-coordinator" });
    try {
      const service = await startArbiterService(arbiterBus, {
        brainConfig: { kind: "anthropic", model: "claude-judge", baseURL: llm.baseURL },
        env: { ANTHROPIC_API_KEY: "sk-ant-test" },
        maxRetries: 0,
      });
      // NatsBus.serve resolves before the server has the subscription; a request from another
      // connection could otherwise race it and find no responders.
      await arbiterBus.connection.flush();
      const decided = await arbitrate(coordinatorBus, conflictRequest(), {
        goalId: "g-nats",
        timeoutMs: 20_000,
      });
      expect(decided).toMatchObject({
        ok: true,
        outcome: {
          decision: "pick",
          winner: "t-security",
          loser: "t-frontend",
          judge: "anthropic:claude-judge",
          usage: { inputTokens: 700, outputTokens: 30 },
        },
      });
      await service.unsubscribe();
      await arbiterBus.connection.flush();
      const none = await arbitrate(coordinatorBus, conflictRequest(), { timeoutMs: 20_000 });
      expect(none).toMatchObject({ ok: false, reason: "no arbiter serves guild.arbiter.request" });
    } finally {
      await coordinatorBus.close();
      await arbiterBus.close();
    }
  });
});
