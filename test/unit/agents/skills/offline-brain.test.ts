import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BrainStep, BrainTask } from "../../../../src/agents/brains/brain.js";
import { chooseSkill, createOfflineBrain } from "../../../../src/agents/brains/offline.js";
import { runSkill, skillNames } from "../../../../src/agents/skills/index.js";
import { Budget, TaskSpec } from "../../../../src/protocol/index.js";
import { fsToolSet } from "../../../helpers/fs-toolset.js";
import { writeFiles } from "../../../helpers/git-repo.js";
import { tempDir } from "../../../helpers/temp-dir.js";

const FILES = {
  "src/lib/auth.ts": 'export const JWT_SECRET = "9f8a7b6c5d4e3f2a1b0c9d8e";\n',
  "src/routes/ids.ts": "export function newToken(): string {\n  return Math.random().toString(36);\n}\n",
};

function task(role: string, extra: { skill?: string; expectedPaths?: string[] } = {}) {
  const spec = TaskSpec.parse({
    taskId: "t1",
    role,
    title: "t",
    instructions: "",
    expectedPaths: extra.expectedPaths ?? [],
    ...(extra.skill ? { skill: extra.skill } : {}),
  });
  return { goalId: "g1", goalText: "goal", task: spec, attempt: 1, charter: "" };
}

async function collect(
  workdir: string,
  role: string,
  options: { skill?: string; writable?: string[]; expectedPaths?: string[]; maxSteps?: number } = {},
) {
  const toolset = fsToolSet(workdir, options.writable ? { writable: options.writable } : {});
  const brain = createOfflineBrain(options.skill ? { skill: options.skill } : {});
  const steps: BrainStep[] = [];
  for await (const step of brain.run({
    task: task(role, options.expectedPaths ? { expectedPaths: options.expectedPaths } : {}),
    tools: toolset.tools,
    workdir,
    signal: new AbortController().signal,
    budget: Budget.parse(options.maxSteps ? { maxSteps: options.maxSteps } : {}),
  })) {
    steps.push(step);
  }
  return { steps, toolset };
}

describe("offline brain", () => {
  it("picks the skill from its option, then the task, then the role", () => {
    expect(chooseSkill({ skill: "docs" }, task("security", { skill: "tests" })).skill).toBe("docs");
    expect(chooseSkill({}, task("security", { skill: "tests" })).skill).toBe("tests");
    expect(chooseSkill({}, task("frontend")).skill).toBe("frontend");
    expect(chooseSkill({}, task("qa")).skill).toBe("tests");
    expect(chooseSkill({}, task("backend"))).toEqual({ asked: "backend" });
  });

  it("writes each change through the tools, reports refused writes, and finishes with a summary", async () => {
    using dir = tempDir();
    writeFiles(dir.path, FILES);
    const { steps, toolset } = await collect(dir.path, "security", { writable: ["src/lib/"] });
    expect(
      steps.map((s) => (s.kind === "tool_call" || s.kind === "tool_result" ? `${s.kind}:${s.tool}` : s.kind)),
    ).toEqual([
      "thought",
      "thought",
      "thought",
      "tool_call:write_file",
      "tool_result:write_file",
      "tool_call:write_file",
      "tool_result:write_file",
      "tool_call:finish",
      "tool_result:finish",
      "summary",
    ]);
    expect(readFileSync(join(dir.path, "src/lib/auth.ts"), "utf8")).toContain("process.env.JWT_SECRET");
    expect(readFileSync(join(dir.path, "src/routes/ids.ts"), "utf8")).toContain("Math.random");
    const summary = steps.at(-1);
    expect(summary?.kind === "summary" && summary.text).toBe(
      [
        "offline skill security: 2 found (2 fixable), 1 file(s) changed, 1 refused, 0 skipped",
        "changed: src/lib/auth.ts",
        "refused: src/routes/ids.ts (refused: src/routes/ids.ts is not owned by this role)",
      ].join("\n"),
    );
    expect(toolset.finished()).toBe(summary?.kind === "summary" ? summary.text : "");
  });

  it("limits the skill to the task's expected paths", async () => {
    using dir = tempDir();
    writeFiles(dir.path, FILES);
    const { toolset } = await collect(dir.path, "security", { expectedPaths: ["src/routes/**"] });
    const writes = toolset.calls
      .filter((c) => c.name === "write_file")
      .map((c) => (c.input as { path: string }).path);
    expect(writes).toEqual(["src/routes/ids.ts"]);
  });

  it("keeps a step for finish when the budget is small", async () => {
    using dir = tempDir();
    writeFiles(dir.path, FILES);
    const { toolset } = await collect(dir.path, "security", { maxSteps: 2 });
    expect(toolset.calls.map((c) => c.name)).toEqual(["write_file", "finish"]);
    expect(toolset.finished()).toContain("refused: src/routes/ids.ts (step budget reached)");
  });

  it("finishes cleanly when no skill fits the role", async () => {
    using dir = tempDir();
    const { steps, toolset } = await collect(dir.path, "backend");
    expect(steps.at(-1)).toEqual({ kind: "summary", text: "no offline skill named backend; nothing to do" });
    expect(toolset.calls.map((c) => c.name)).toEqual(["finish"]);
  });
});

describe("runSkill", () => {
  it("knows four skills and refuses other names with the list", async () => {
    expect(skillNames).toEqual(["security", "docs", "tests", "frontend"]);
    await expect(runSkill("poetry", ".")).rejects.toMatchObject({
      code: "config.invalid",
      message: "no offline skill named poetry; known: security, docs, tests, frontend",
    });
  });
});

describe("offline brain on a broken worktree", () => {
  it("finishes with the skill's failure instead of throwing", async () => {
    using dir = tempDir();
    const missing = join(dir.path, "gone");
    const { steps, toolset } = await collect(missing, "docs");
    const summary = steps.at(-1);
    expect(summary?.kind === "summary" && summary.text).toMatch(
      /^offline skill docs: 0 found .*\nskipped the skill failed: ENOENT/,
    );
    expect(toolset.calls.map((c) => c.name)).toEqual(["finish"]);
  });
});

describe("offline brain with live coordination", () => {
  it("waits for the coordinator once after writing and adapts to a rename told meanwhile", async () => {
    using dir = tempDir();
    writeFiles(dir.path, {
      "src/lib/auth.ts":
        "/** Compares in constant time. */\nexport function compareSecrets(a: string, b: string): boolean {\n  return a.length === b.length;\n}\n",
      "src/routes/hook.ts":
        "export const signed = (signature: string, expectedSignature: string) => signature === expectedSignature;\n",
    });
    const toolset = fsToolSet(dir.path, { writable: ["src/routes/"] });
    const base = task("backend", { skill: "security", expectedPaths: ["src/**"] });
    const overlaps: NonNullable<BrainTask["overlaps"]> = [];
    let syncs = 0;
    const steps: BrainStep[] = [];
    for await (const step of createOfflineBrain().run({
      task: { ...base, overlaps },
      tools: toolset.tools,
      workdir: dir.path,
      signal: new AbortController().signal,
      budget: Budget.parse({}),
      // The coordinator's note arrives while the brain waits, as a live room's would.
      sync: async () => {
        syncs += 1;
        overlaps.push({
          path: "src/lib/auth.ts",
          symbol: "compareSecrets",
          change: "renamed",
          renamedTo: "safeEqual",
        });
        return true;
      },
    })) {
      steps.push(step);
    }
    expect(syncs).toBe(1);
    expect(steps.map((s) => (s.kind === "thought" ? s.text : ""))).toContain(
      "the coordinator has read every task's progress",
    );
    const hook = readFileSync(join(dir.path, "src/routes/hook.ts"), "utf8");
    expect(hook).toContain('import { safeEqual } from "../lib/auth.js";');
    expect(hook).toContain("safeEqual(signature, expectedSignature)");
    expect(hook).not.toContain("compareSecrets");
    const summary = steps.at(-1);
    expect(summary?.kind === "summary" && summary.text).toContain(
      "adapted src/routes/hook.ts to a renamed export another task changed",
    );
  });
});
