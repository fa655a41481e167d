import { describe, expect, it } from "vitest";
import { startPlannerService } from "../../../../src/agents/index.js";
import { createEventEmitter, MemoryBus } from "../../../../src/bus/index.js";
import { planGoal, plannerKind, planWithRules, requestPlan } from "../../../../src/coordinator/index.js";
import { loadOwnership } from "../../../../src/ownership/index.js";
import {
  type BrainConfig,
  type GuildConfig,
  isGuildError,
  type TaskSpec,
} from "../../../../src/protocol/index.js";
import { demoRepo } from "../../../helpers/demo-repo.js";
import { startScriptedOpenAI } from "../../../helpers/scripted-llm/index.js";

async function demoOwnership(repo: string, planner: GuildConfig["planner"]) {
  const loaded = await loadOwnership({ repoDir: repo });
  return { config: { ...loaded.config, planner }, matcher: loaded.matcher };
}

const llm: BrainConfig = { kind: "openai", model: "m", baseURL: "http://127.0.0.1:9/v1" };

describe("planGoal chooses its planner", () => {
  it.each([
    ["rules", "rules"],
    [{ kind: "offline" }, "rules"],
    [{ kind: "anthropic", model: "x" }, "llm"],
  ] as const)("planner %j is %s", (planner, kind) => {
    expect(plannerKind({ planner })).toBe(kind);
  });

  it("refuses a brain kind that cannot plan", () => {
    expect(() => plannerKind({ planner: { kind: "cli", command: ["codex"] } })).toThrow(/cannot plan/);
  });

  it("uses a prepared plan, checked, even when an LLM planner is configured and no bus is given", async () => {
    using repo = demoRepo();
    const ownership = await demoOwnership(repo.path, llm);
    const prepared: TaskSpec[] = [
      {
        taskId: "Docs",
        role: "docs",
        title: "t",
        instructions: "",
        expectedPaths: ["docs/API.md"],
        dependsOn: [],
      },
    ];
    const planned = await planGoal({ text: "x", ownership, prepared });
    expect(planned.planner).toBe("prepared");
    expect(planned.tasks[0]?.taskId).toBe("docs");
    expect(planned.repairs).toEqual(['task id "Docs" → "docs" (made a token)']);
  });

  it("rejects an invalid prepared plan with every reason and a plan.rejected event", async () => {
    using repo = demoRepo();
    const ownership = await demoOwnership(repo.path, "rules");
    const bus = new MemoryBus();
    const events = createEventEmitter(bus, "coordinator");
    const prepared: TaskSpec[] = [
      {
        taskId: "a",
        role: "docs",
        title: "t",
        instructions: "",
        expectedPaths: ["package.json"],
        dependsOn: [],
      },
    ];
    const error = await planGoal({ text: "x", ownership, prepared, events, goalId: "g1" }).catch(
      (e: unknown) => e,
    );
    expect(isGuildError(error, "plan.invalid")).toBe(true);
    expect((error as Error).message).toBe(
      "the prepared plan is invalid: task a: package.json is protected: it needs a person, leave it out of the plan",
    );
    const log = await bus.events.read({ subject: "guild.evt.g1.>" });
    expect(log.map((e) => [e.type, e.payload])).toEqual([
      ["plan.rejected", { reason: (error as Error).message }],
    ]);
    await bus.close();
  });

  it("uses the rules planner offline and records plan.created", async () => {
    using repo = demoRepo();
    const ownership = await demoOwnership(repo.path, "rules");
    const bus = new MemoryBus();
    const events = createEventEmitter(bus, "coordinator");
    const planned = await planGoal({ text: "safer", ownership, events, goalId: "g2" });
    expect(planned.tasks).toEqual(planWithRules("safer", ownership.config));
    const log = await bus.events.read({ subject: "guild.evt.g2.>" });
    expect(log.map((e) => e.type)).toEqual(["plan.created"]);
    await bus.close();
  });

  it("needs a bus for the LLM planner", async () => {
    using repo = demoRepo();
    const ownership = await demoOwnership(repo.path, llm);
    await expect(planGoal({ text: "x", ownership })).rejects.toMatchObject({ code: "bus.unavailable" });
  });
});

describe("requestPlan", () => {
  it("stops after `attempts` and does not retry a failing model", async () => {
    await using server = await startScriptedOpenAI([
      { text: "no plan here" },
      { text: "still none" },
      { error: 500 },
    ]);
    const brainConfig: BrainConfig = { kind: "openai", model: "m", baseURL: server.baseURL };
    const bus = new MemoryBus();
    const service = await startPlannerService(bus, { brainConfig, env: {}, maxRetries: 0 });
    const request = {
      goalText: "x",
      roles: [{ name: "docs", charter: "" }],
      ownership: [],
      files: [],
      filesTotal: 0,
    };
    const never = () => ({ tasks: [], repairs: [], errors: ["unreachable"] });
    const invalid = await requestPlan(bus, request, { attempts: 2 }, never).catch((e: unknown) => e);
    expect(isGuildError(invalid, "plan.invalid")).toBe(true);
    expect((invalid as Error).message).toContain(
      "in 2 attempt(s): planner openai:m: the reply holds no JSON object",
    );
    const failed = await requestPlan(bus, request, { attempts: 3 }, never).catch((e: unknown) => e);
    expect(isGuildError(failed, "brain.failed")).toBe(true);
    expect(server.requests).toHaveLength(3);
    await service.unsubscribe();
    await bus.close();
  });
});
