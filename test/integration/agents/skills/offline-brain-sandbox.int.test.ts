import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BrainStep } from "../../../../src/agents/brains/brain.js";
import { createOfflineBrain } from "../../../../src/agents/brains/offline.js";
import { createToolSet, type ToolDenial } from "../../../../src/agents/tools/create-tool-set.js";
import { loadOwnership } from "../../../../src/ownership/index.js";
import { Budget, TaskSpec } from "../../../../src/protocol/index.js";
import { git } from "../../../helpers/git-repo.js";
import { demoCopy, demoTestCommand, runCommand } from "./demo-app.js";

describe("offline brain with the real sandboxed ToolSet and the demo's ownership rules", () => {
  it("writes the security role's own files, has the backend's file refused, and the app's tests still pass", async () => {
    using app = demoCopy();
    git(app.path, "init", "-q", "-b", "main");
    const { matcher } = await loadOwnership({ repoDir: app.path });
    const denials: ToolDenial[] = [];
    const tools = createToolSet({
      workdir: app.path,
      role: "security",
      ownership: matcher,
      allowCommands: [],
      onDenied: (d) => denials.push(d),
    });
    const task = TaskSpec.parse({
      taskId: "sec-1",
      role: "security",
      title: "harden",
      instructions: "",
      expectedPaths: [],
    });
    const steps: BrainStep[] = [];
    for await (const step of createOfflineBrain().run({
      task: { goalId: "g1", goalText: "harden the demo", task, attempt: 1, charter: "" },
      tools,
      workdir: app.path,
      signal: new AbortController().signal,
      budget: Budget.parse({}),
    })) {
      steps.push(step);
    }
    const results = steps.filter((s) => s.kind === "tool_result" && s.tool === "write_file");
    expect(results.map((s) => s.kind === "tool_result" && s.ok)).toEqual([
      true,
      true,
      true,
      true,
      false,
      true,
    ]);
    expect(denials.map((d) => d.path)).toEqual(["src/routes/users.ts"]);
    expect(readFileSync(join(app.path, "src/routes/users.ts"), "utf8")).toContain("WHERE name = '\" + name");
    expect(readFileSync(join(app.path, "src/lib/calculator.ts"), "utf8")).toContain(
      "evaluateArithmetic(expression)",
    );
    const summary = steps.at(-1);
    expect(summary?.kind === "summary" && summary.text).toMatch(/5 file\(s\) changed, 1 refused/);
    const after = runCommand(app.path, demoTestCommand());
    expect(after.status, after.output).toBe(0);
  });
});
