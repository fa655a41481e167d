import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkPlan,
  draftOfTasks,
  knownRolesOf,
  type PlanCheckContext,
  planWithRules,
  probePath,
  topologicalOrder,
} from "../../../../src/coordinator/index.js";
import { OwnershipMatcher, parseRules } from "../../../../src/ownership/index.js";
import { type GuildConfig, type PlanDraftTask, Token } from "../../../../src/protocol/index.js";

const DEMO_YAML = join(import.meta.dirname, "..", "..", "..", "..", "examples", "demo-app", "guild.yaml");

/** The demo app's real guild.yaml as a plan-check context, with optional config changes. */
function demo(patch: Partial<GuildConfig> = {}): PlanCheckContext & { config: GuildConfig } {
  const parsed = parseRules(readFileSync(DEMO_YAML, "utf8"), { file: "guild.yaml" });
  const config = { ...parsed.config, ...patch };
  return { config, matcher: new OwnershipMatcher(parsed.rules, config), knownRoles: knownRolesOf(config) };
}

function task(partial: Partial<PlanDraftTask> & Pick<PlanDraftTask, "id" | "role">): PlanDraftTask {
  return { title: `work ${partial.id}`, instructions: "", expectedPaths: [], dependsOn: [], ...partial };
}

describe("checkPlan repairs", () => {
  const ctx = demo();

  it.each([
    ["slugifies an id into a token", [task({ id: "Fix Auth!", role: "security" })], "fix-auth"],
    ["names an id with nothing usable", [task({ id: "!!!", role: "security" })], "task-1"],
  ])("%s", (_name, tasks, id) => {
    const result = checkPlan({ tasks }, ctx);
    expect(result.errors).toEqual([]);
    expect(result.tasks[0]?.taskId).toBe(id);
    expect(result.repairs.join("\n")).toContain(`"${id}"`);
  });

  it("dedupes ids, and a dependency on the shared id means the first task", () => {
    const result = checkPlan(
      {
        tasks: [
          task({ id: "a", role: "security" }),
          task({ id: "a", role: "docs" }),
          task({ id: "c", role: "tests", dependsOn: ["a"] }),
        ],
      },
      ctx,
    );
    expect(result.tasks.map((t) => t.taskId)).toEqual(["a", "a-2", "c"]);
    expect(result.tasks[2]?.dependsOn).toEqual(["a"]);
    expect(result.repairs).toContain('task id "a" → "a-2" (duplicate, renamed)');
  });

  it("drops self, unknown and repeated dependencies; follows a dependency written as the raw id", () => {
    const result = checkPlan(
      {
        tasks: [
          task({ id: "Write Docs", role: "docs" }),
          task({ id: "t", role: "tests", dependsOn: ["t", "ghost", "Write Docs", "write-docs"] }),
        ],
      },
      ctx,
    );
    expect(result.errors).toEqual([]);
    expect(result.tasks[1]?.dependsOn).toEqual(["write-docs"]);
    expect(result.repairs).toEqual(
      expect.arrayContaining([
        "task t: dropped its dependency on itself",
        'task t: dropped dependency on unknown task "ghost"',
        "task t: dropped repeated dependency on write-docs",
      ]),
    );
  });

  it("lowercases a role that matches and cleans paths", () => {
    const result = checkPlan(
      {
        tasks: [
          task({ id: "x", role: " Security ", expectedPaths: ["./src\\lib\\auth.ts", "src/lib/auth.ts"] }),
        ],
      },
      ctx,
    );
    expect(result.errors).toEqual([]);
    expect(result.tasks[0]?.role).toBe("security");
    expect(result.tasks[0]?.expectedPaths).toEqual(["src/lib/auth.ts"]);
    expect(result.repairs).toContain("task x: dropped repeated expected path src/lib/auth.ts");
  });

  it("assigns unowned paths to the default owner", () => {
    const result = checkPlan(
      { tasks: [task({ id: "x", role: "backend", expectedPaths: ["scripts/seed.ts"] })] },
      demo({ defaultOwner: "@backend" }),
    );
    expect(result.errors).toEqual([]);
    expect(result.repairs).toContain(
      "task x: scripts/seed.ts has no owner; assigned to the default owner @backend",
    );
  });
});

describe("checkPlan errors", () => {
  const ctx = demo();

  it.each([
    ["an empty plan", [], "the plan is empty: it has no tasks"],
    ["an unknown role", [task({ id: "x", role: "devops" })], 'task x: unknown role "devops"'],
    [
      "an unowned path without a default owner",
      [task({ id: "x", role: "backend", expectedPaths: ["scripts/seed.ts"] })],
      "task x: scripts/seed.ts has no owner",
    ],
    [
      "a path owned by another role",
      [task({ id: "x", role: "backend", expectedPaths: ["src/lib/auth.ts"] })],
      "task x (backend): src/lib/auth.ts is owned by security, not backend",
    ],
    [
      "a protected path",
      [task({ id: "x", role: "backend", expectedPaths: ["package.json"] })],
      "task x: package.json is protected: it needs a person",
    ],
    [
      "a built-in protected path",
      [task({ id: "x", role: "backend", expectedPaths: [".github/workflows/ci.yml"] })],
      "task x: .github/workflows/ci.yml is protected",
    ],
    [
      "a path leaving the repository",
      [task({ id: "x", role: "backend", expectedPaths: ["src/../../etc/passwd"] })],
      "leaves the repository",
    ],
  ])("reports %s", (_name, tasks, message) => {
    const result = checkPlan({ tasks }, ctx);
    expect(result.errors.join("\n")).toContain(message);
  });

  it("reports a default owner that is another role as foreign", () => {
    const result = checkPlan(
      { tasks: [task({ id: "x", role: "docs", expectedPaths: ["scripts/seed.ts"] })] },
      demo({ defaultOwner: "@backend" }),
    );
    expect(result.errors).toEqual([
      "task x (docs): scripts/seed.ts is owned by backend, not docs; give it to a task of that role",
    ]);
  });

  it("reports a dependency cycle with its path", () => {
    const result = checkPlan(
      {
        tasks: [
          task({ id: "a", role: "backend", dependsOn: ["c"] }),
          task({ id: "b", role: "tests", dependsOn: ["a"] }),
          task({ id: "c", role: "docs", dependsOn: ["b"] }),
          task({ id: "d", role: "docs" }),
        ],
      },
      ctx,
    );
    expect(result.errors).toEqual(["dependency cycle: a → c → b → a"]);
  });

  it("accepts the rules planner's plan for the demo app unchanged", () => {
    const tasks = planWithRules("make it safer", ctx.config);
    const result = checkPlan(draftOfTasks(tasks), ctx);
    expect(tasks.length).toBeGreaterThan(0);
    expect(result).toEqual({ tasks, repairs: [], errors: [] });
  });
});

describe("checkPlan properties", () => {
  const ctx = demo({ defaultOwner: "@backend" });
  const paths = [
    "src/lib/auth.ts",
    "src/routes/api.ts",
    "public/index.html",
    "docs/API.md",
    "test/x.ts",
    "x/y.ts",
    "package.json",
    "src/**",
    "../up",
  ];
  const ids = ["a", "A", "b c", "b-c", "", "!!", "d_1", "é"];
  const rawTask = fc.record({
    id: fc.oneof(fc.constantFrom(...ids.filter(Boolean)), fc.string({ minLength: 1, maxLength: 12 })),
    role: fc.oneof(
      fc.constantFrom("security", "Backend", "frontend", "tests", "docs", "ops"),
      fc.string({ minLength: 1, maxLength: 8 }),
    ),
    title: fc.string({ minLength: 1, maxLength: 20 }),
    instructions: fc.string({ maxLength: 20 }),
    expectedPaths: fc.array(fc.oneof(fc.constantFrom(...paths), fc.string({ minLength: 1, maxLength: 10 })), {
      maxLength: 4,
    }),
    dependsOn: fc.array(
      fc.oneof(fc.constantFrom(...ids.filter(Boolean)), fc.string({ minLength: 1, maxLength: 6 })),
      { maxLength: 4 },
    ),
  });
  const draft = fc.record({ tasks: fc.array(rawTask, { maxLength: 8 }) });

  it("gives unique token ids and dependencies on other tasks of the plan only", () => {
    fc.assert(
      fc.property(draft, (d) => {
        const { tasks } = checkPlan(d, ctx);
        const taskIds = tasks.map((t) => t.taskId);
        expect(new Set(taskIds).size).toBe(taskIds.length);
        for (const t of tasks) {
          expect(Token.safeParse(t.taskId).success).toBe(true);
          for (const dep of t.dependsOn) {
            expect(dep).not.toBe(t.taskId);
            expect(taskIds).toContain(dep);
          }
        }
      }),
    );
  });

  it("without errors, the plan is a DAG of known roles whose paths each role owns", () => {
    fc.assert(
      fc.property(draft, (d) => {
        const { tasks, errors } = checkPlan(d, ctx);
        fc.pre(errors.length === 0);
        expect(topologicalOrder(new Map(tasks.map((t) => [t.taskId, t.dependsOn])))).toBeDefined();
        for (const t of tasks) {
          expect(ctx.knownRoles).toContain(t.role);
          for (const p of t.expectedPaths) {
            expect(ctx.matcher.isProtected(probePath(p))).toBe(false);
            const roles = ctx.matcher.rolesOf(probePath(p));
            expect(roles.length === 0 ? ["backend"] : roles).toContain(t.role);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("is idempotent: checking the checked plan repairs nothing more", () => {
    fc.assert(
      fc.property(draft, (d) => {
        const first = checkPlan(d, ctx);
        const again = checkPlan(draftOfTasks(first.tasks), ctx);
        expect(again.tasks).toEqual(first.tasks);
        expect(again.repairs.filter((r) => !r.includes("default owner"))).toEqual([]);
      }),
    );
  });
});

describe("checkPlan contracts", () => {
  const ctx = demo();

  it("reads contracts written as text, keeps structured ones, and drops those its role cannot write", () => {
    const result = checkPlan(
      {
        tasks: [
          task({
            id: "auth",
            role: "security",
            provides: [
              "exports login(user: string): Promise<Session> from src/lib/auth.ts",
              { path: "./src/lib/session.ts", symbol: "Session", signature: "" },
              { path: "src/api/routes.ts", symbol: "route" },
              "a login function",
            ],
          }),
        ],
      },
      ctx,
    );
    expect(result.errors).toEqual([]);
    expect(result.tasks[0]?.provides).toEqual([
      { path: "src/lib/auth.ts", symbol: "login", signature: "login(user: string): Promise<Session>" },
      { path: "src/lib/session.ts", symbol: "Session" },
    ]);
    expect(result.repairs.join("\n")).toContain("dropped contract on src/api/routes.ts");
    expect(result.repairs.join("\n")).toContain('dropped contract "a login function"');
    // A prepared plan keeps its contracts through the second check.
    expect(checkPlan(draftOfTasks(result.tasks), ctx).tasks[0]?.provides).toEqual(result.tasks[0]?.provides);
  });
});
