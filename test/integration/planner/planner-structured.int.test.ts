import { describe, expect, it } from "vitest";
import { planGoal } from "../../../src/coordinator/index.js";
import { capturedLogger } from "../../helpers/log-lines.js";
import {
  type Provider,
  type ScriptedServerOptions,
  type ScriptedTurn,
  scriptedBrain,
  startScriptedProvider,
} from "../../helpers/scripted-llm/index.js";
import { GOOD_PLAN, natsPerFile, withPlannerService } from "./planner-fixture.js";

const nats = natsPerFile();

/** Plans one goal against a planner service on a scripted `provider` server; returns the plan, requests and log. */
async function planOn(provider: Provider, turns: ScriptedTurn[], options: ScriptedServerOptions = {}) {
  await using llm = await startScriptedProvider(provider, turns, options);
  const brain = scriptedBrain(provider, llm, { openai: "gpt-planner", anthropic: "claude-planner" });
  const { logger, lines } = capturedLogger();
  const env = { ANTHROPIC_API_KEY: "sk-ant-test" };
  // Awaited here, so the scripted server outlives the plan.
  return await withPlannerService(nats.url, brain, { env, logger }, async (setup) => {
    const planned = await planGoal({
      text: "Make session tokens unguessable",
      repo: setup.repo,
      ownership: setup.ownership,
      bus: setup.bus,
      timeoutMs: 20_000,
    });
    return { planned, bodies: llm.requests.map((r) => r.body), messages: lines.map((l) => String(l.msg)) };
  });
}

const NO_STRUCTURED = "the reply carried no structured answer; reading it with the text scanner";
const taskIds = ["harden-auth", "auth-tests", "document-auth"];

describe("planner structured output through the real SDKs", () => {
  it("OpenAI: asks with a strict json_schema response_format and reads the plan from the content", async () => {
    const { planned, bodies, messages } = await planOn("openai", [{ structured: GOOD_PLAN }]);
    expect(planned.tasks.map((t) => t.taskId)).toEqual(taskIds);
    expect(bodies).toHaveLength(1);
    const format = bodies[0]?.response_format as {
      type: string;
      json_schema: { name: string; strict: boolean; schema: Record<string, unknown> };
    };
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.name).toBe("submit_plan");
    expect(format.json_schema.strict).toBe(true);
    const schema = format.json_schema.schema as {
      required: string[];
      additionalProperties: boolean;
      properties: { tasks: { items: { required: string[]; additionalProperties: boolean } } };
    };
    expect(schema.required).toEqual(["tasks"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.tasks.items.additionalProperties).toBe(false);
    expect([...schema.properties.tasks.items.required].sort()).toEqual(
      ["dependsOn", "expectedPaths", "id", "instructions", "provides", "role", "title"].sort(),
    );
    expect(messages).not.toContain(NO_STRUCTURED);
  });

  it("Anthropic: forces the submit_plan tool and reads the plan from its tool_use block", async () => {
    const { planned, bodies, messages } = await planOn("anthropic", [{ structured: GOOD_PLAN }]);
    expect(planned.tasks.map((t) => t.taskId)).toEqual(taskIds);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.tool_choice).toEqual({ type: "tool", name: "submit_plan" });
    const tools = bodies[0]?.tools as { name: string; input_schema: { properties: object } }[];
    expect(tools.map((t) => t.name)).toEqual(["submit_plan"]);
    expect(Object.keys(tools[0]?.input_schema.properties ?? {})).toEqual(["tasks"]);
    expect(messages).not.toContain(NO_STRUCTURED);
  });

  for (const provider of ["openai", "anthropic"] as const) {
    it(`${provider}: a server that refuses structured output is asked once more and its text read`, async () => {
      const fenced = `The plan:\n\`\`\`json\n${JSON.stringify(GOOD_PLAN)}\n\`\`\``;
      const { planned, bodies, messages } = await planOn(provider, [{ text: fenced }], {
        lacksStructuredOutput: true,
      });
      expect(planned.tasks.map((t) => t.taskId)).toEqual(taskIds);
      expect(bodies).toHaveLength(2);
      const asked = provider === "openai" ? "response_format" : "tool_choice";
      expect(bodies[0]?.[asked]).toBeDefined();
      expect(bodies[1]?.[asked]).toBeUndefined();
      expect(messages).toContain("the server refused structured output; asking again for a text answer");
    });
  }

  it("a reply that ignores response_format is read by the text scanner, without asking again", async () => {
    const prose = `Sure! Here it is: ${JSON.stringify(GOOD_PLAN)} Hope that helps.`;
    const { planned, bodies, messages } = await planOn("openai", [{ text: prose }]);
    expect(planned.tasks.map((t) => t.taskId)).toEqual(taskIds);
    expect(bodies).toHaveLength(1);
    expect(messages).toContain(NO_STRUCTURED);
  });
});
