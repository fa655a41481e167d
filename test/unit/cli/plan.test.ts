import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startPlannerService } from "../../../src/agents/index.js";
import { MemoryBus } from "../../../src/bus/index.js";
import { dependencyTree, runPlan } from "../../../src/cli/commands/plan.js";
import { collectOutput } from "../../../src/cli/output.js";
import { planWithRules } from "../../../src/coordinator/index.js";
import { loadOwnership } from "../../../src/ownership/index.js";
import { GoalSubmit, type TaskSpec } from "../../../src/protocol/index.js";
import { demoRepo } from "../../helpers/demo-repo.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { startScriptedOpenAI } from "../../helpers/scripted-llm/index.js";

const spec = (taskId: string, dependsOn: string[] = []): TaskSpec => ({
  taskId,
  role: "docs",
  title: taskId,
  instructions: "",
  expectedPaths: [],
  dependsOn,
});

describe("guild plan", () => {
  it("shows the rules planner's plan offline: tasks, owners of expected paths, dependencies", async () => {
    using repo = demoRepo();
    const output = collectOutput();
    const result = await runPlan(undefined, "make it safer", { repo: repo.path }, output);
    expect(result.ok).toBe(true);
    expect(output.lines[0]).toBe('plan for "make it safer" by rules: 5 task(s)');
    expect(output.lines).toContain("1. security [security] Find and fix security problems (skill security)");
    expect(output.lines).toContain("     src/lib/safe-*.ts  → security");
    expect(output.lines).toContain("     public/**  → frontend");
    expect(output.lines).toContain("dependencies:");
    expect(output.lines.some((l) => l.startsWith("errors"))).toBe(false);
  });

  it("prints --json that a goal request accepts as its prepared plan", async () => {
    using repo = demoRepo();
    const output = collectOutput();
    const result = await runPlan(undefined, "make it safer", { repo: repo.path, json: true }, output);
    expect(result.ok).toBe(true);
    const tasks: unknown = JSON.parse(output.lines.join("\n"));
    const goal = GoalSubmit.parse({ text: "make it safer", repo: repo.path, plan: tasks });
    const { config } = await loadOwnership({ repoDir: repo.path });
    expect(goal.plan).toEqual(planWithRules("make it safer", config));
  });

  it("reports a plan the coordinator would reject, and prints no JSON for it", async () => {
    using repo = tempRepo({
      "guild.yaml": 'rules:\n  - pattern: "src/**"\n    owners: ["@ops"]\nroles:\n  ops: {}\n',
      "src/a.ts": "",
    });
    const human = collectOutput();
    expect((await runPlan(undefined, "anything", { repo: repo.path }, human)).ok).toBe(false);
    expect(human.lines).toContain("  - the plan is empty: it has no tasks");
    const json = collectOutput();
    expect((await runPlan(undefined, "anything", { repo: repo.path, json: true }, json)).ok).toBe(false);
    expect(json.lines).toEqual([]);
    expect(json.errors).toContain("error: the plan is empty: it has no tasks");
  });

  it("plans through the LLM planner on the bus when guild.yaml names one", async () => {
    const draft = {
      tasks: [
        { id: "fix", role: "security", title: "Fix tokens", expectedPaths: ["src/lib/auth.ts"] },
        {
          id: "test",
          role: "tests",
          title: "Test tokens",
          expectedPaths: ["test/lib.test.ts"],
          dependsOn: ["fix"],
        },
        {
          id: "doc",
          role: "docs",
          title: "Document",
          expectedPaths: ["docs/API.md"],
          dependsOn: ["fix", "test"],
        },
      ],
    };
    await using llm = await startScriptedOpenAI([{ toolCalls: [{ name: "submit_plan", input: draft }] }]);
    using repo = demoRepo();
    const brainConfig = { kind: "openai" as const, model: "planner-x", baseURL: llm.baseURL };
    appendFileSync(join(repo.path, "guild.yaml"), `planner: ${JSON.stringify(brainConfig)}\n`);
    expect(readFileSync(join(repo.path, "guild.yaml"), "utf8")).toContain("planner:");
    const bus = new MemoryBus();
    const service = await startPlannerService(bus, { brainConfig, env: {}, maxRetries: 0 });
    const output = collectOutput();
    const result = await runPlan(bus, "make tokens safe", { repo: repo.path }, output);
    await service.unsubscribe();
    await bus.close();
    expect(result.ok).toBe(true);
    expect(output.lines[0]).toBe('plan for "make tokens safe" by openai:planner-x: 3 task(s)');
    expect(output.lines).toContain("     test/lib.test.ts  → tests");
    expect(output.lines).toContain("     after fix, test");
    const tree = output.lines.slice(output.lines.indexOf("dependencies:") + 1);
    expect(tree).toEqual(["  fix", "  ├─ test", "  │  └─ doc", "  └─ doc (see above)"]);
    expect(output.errors).toEqual(["tokens: 10 in, 5 out"]);
  });
});

describe("dependencyTree", () => {
  it("lists independent tasks as roots and nests dependents", () => {
    expect(dependencyTree([spec("a"), spec("b", ["a"]), spec("c", ["b"]), spec("d")])).toEqual([
      "  a",
      "  └─ b",
      "     └─ c",
      "  d",
    ]);
  });

  it("names the tasks of a cycle, which are never ready", () => {
    expect(dependencyTree([spec("a", ["b"]), spec("b", ["a"]), spec("c")])).toEqual([
      "  c",
      "  in a cycle, never ready: a, b",
    ]);
  });
});
