import { describe, expect, it } from "vitest";
import { startArbiterService } from "../../../src/agents/arbiter/index.js";
import { MemoryBus } from "../../../src/bus/index.js";
import { requestArbitration } from "../../../src/coordinator/settle/arbiter-request.js";
import { capturedLogger } from "../../helpers/log-lines.js";
import {
  type Provider,
  type ScriptedServerOptions,
  type ScriptedTurn,
  scriptedBrain,
  startScriptedProvider,
} from "../../helpers/scripted-llm/index.js";
import { COMBINED, conflictRequest } from "../../unit/agents/arbiter/conflict-fixture.js";

const NO_STRUCTURED = "the reply carried no structured answer; reading it with the text scanner";
const REFUSED = "the server refused structured output; asking again for a text answer";

/** Asks an arbiter service on a scripted `provider` server for a verdict; returns it, the requests and the log. */
async function arbitrateOn(provider: Provider, turns: ScriptedTurn[], options: ScriptedServerOptions = {}) {
  await using server = await startScriptedProvider(provider, turns, options);
  const brainConfig = scriptedBrain(provider, server, { openai: "gpt-judge", anthropic: "claude-judge" });
  const bus = new MemoryBus();
  const { logger, lines } = capturedLogger();
  const service = await startArbiterService(bus, {
    brainConfig,
    env: { ANTHROPIC_API_KEY: "sk-ant-test" },
    maxRetries: 0,
    logger,
  });
  try {
    const outcome = await requestArbitration(bus, conflictRequest());
    return { outcome, bodies: server.requests.map((r) => r.body), messages: lines.map((l) => String(l.msg)) };
  } finally {
    await service.unsubscribe();
    await bus.close();
  }
}

const pick = {
  decision: "pick",
  winner: "t-frontend",
  files: null,
  rationale: "The goal asks for localisation first; escaping can be redone on top.",
};

describe("arbiter structured output through the real SDKs", () => {
  it("OpenAI: asks with a strict json_schema response_format and reads the verdict from the content", async () => {
    const { outcome, bodies, messages } = await arbitrateOn("openai", [{ structured: pick }]);
    expect(outcome).toMatchObject({ decision: "pick", winner: "t-frontend", attempts: 1 });
    expect(bodies).toHaveLength(1);
    const format = bodies[0]?.response_format as {
      type: string;
      json_schema: {
        name: string;
        strict: boolean;
        schema: {
          required: string[];
          additionalProperties: boolean;
          properties: { winner: { type: unknown } };
        };
      };
    };
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.name).toBe("decide");
    expect(format.json_schema.strict).toBe(true);
    expect([...format.json_schema.schema.required].sort()).toEqual([
      "decision",
      "files",
      "rationale",
      "winner",
    ]);
    expect(format.json_schema.schema.additionalProperties).toBe(false);
    expect(format.json_schema.schema.properties.winner.type).toEqual(["string", "null"]);
    expect(messages).not.toContain(NO_STRUCTURED);
  });

  it("Anthropic: forces the decide tool and reads a combine from its tool_use block", async () => {
    const combine = {
      decision: "combine",
      winner: null,
      files: [{ path: "src/greet.ts", content: COMBINED }],
      rationale: "Keep the locale parameter and escape the name inside the translation.",
    };
    const { outcome, bodies, messages } = await arbitrateOn("anthropic", [{ structured: combine }]);
    expect(outcome).toMatchObject({
      decision: "combine",
      files: [{ path: "src/greet.ts", content: COMBINED }],
    });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.tool_choice).toEqual({ type: "tool", name: "decide" });
    const tools = (bodies[0]?.tools ?? []) as { name: string }[];
    expect(tools.map((t) => t.name)).toEqual(["decide"]);
    expect(messages).not.toContain(NO_STRUCTURED);
  });

  for (const provider of ["openai", "anthropic"] as const) {
    it(`${provider}: a server that refuses structured output is asked once more and its text read`, async () => {
      const text = { decision: pick.decision, winner: pick.winner, rationale: pick.rationale };
      const { outcome, bodies, messages } = await arbitrateOn(
        provider,
        [{ text: `Verdict:\n\`\`\`json\n${JSON.stringify(text)}\n\`\`\`` }],
        { lacksStructuredOutput: true },
      );
      expect(outcome).toMatchObject({ decision: "pick", winner: "t-frontend" });
      expect(bodies).toHaveLength(2);
      const asked = provider === "openai" ? "response_format" : "tool_choice";
      expect(bodies[0]?.[asked]).toBeDefined();
      expect(bodies[1]?.[asked]).toBeUndefined();
      expect(messages).toContain(REFUSED);
    });
  }
});
