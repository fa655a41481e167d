import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BrainStep } from "../../../../src/agents/brains/brain.js";
import { createOfflineBrain } from "../../../../src/agents/brains/offline.js";
import { createToolSet, type ToolDenial } from "../../../../src/agents/tools/create-tool-set.js";
import { loadOwnership } from "../../../../src/ownership/index.js";
import { Budget, TaskSpec } from "../../../../src/protocol/index.js";
import { git } from "../../../helpers/git-repo.js";
import { demoCopy, demoTestCommand, runCommand } from "./demo-app.js";

/** Runs the offline brain as `role` on a copy of the demo with the real tool set and the demo's ownership rules. */
async function runAs(dir: string, role: string, expectedPaths: string[] = []) {
  const { matcher } = await loadOwnership({ repoDir: dir });
  const denials: ToolDenial[] = [];
  const tools = createToolSet({
    workdir: dir,
    role,
    ownership: matcher,
    allowCommands: [],
    onDenied: (d) => denials.push(d),
  });
  const task = TaskSpec.parse({
    taskId: `${role}-1`,
    role,
    title: "harden",
    instructions: "",
    expectedPaths,
  });
  const steps: BrainStep[] = [];
  for await (const step of createOfflineBrain({ skill: "security" }).run({
    task: { goalId: "g1", goalText: "harden the demo", task, attempt: 1, charter: "" },
    tools,
    workdir: dir,
    signal: new AbortController().signal,
    budget: Budget.parse({}),
  })) {
    steps.push(step);
  }
  const writes = steps.flatMap((s) =>
    s.kind === "tool_result" && s.tool === "write_file" ? [{ ok: s.ok, output: s.output }] : [],
  );
  const summary = steps.at(-1);
  return { tools, denials, writes, summary: summary?.kind === "summary" ? summary.text : "" };
}

describe("offline brain with the real sandboxed ToolSet and the demo's ownership rules", () => {
  it("writes the security role's own files (the co-owned form too), has backend's files refused, and the app's tests still pass", async () => {
    using app = demoCopy();
    git(app.path, "init", "-q", "-b", "main");
    const run = await runAs(app.path, "security");
    // auth, calculator (backend's), session, shell, users (backend's), the co-owned form.
    expect(run.writes.map((w) => w.ok)).toEqual([true, false, true, true, false, true]);
    expect(run.denials.map((d) => d.path)).toEqual(["src/lib/calculator.ts", "src/routes/users.ts"]);
    expect(run.tools.foreignWrites?.()).toEqual([]);
    expect(readFileSync(join(app.path, "src/routes/users.ts"), "utf8")).toContain("WHERE name = '\" + name");
    expect(readFileSync(join(app.path, "src/lib/calculator.ts"), "utf8")).toContain("eval(expression)");
    // The new module served only the refused calculator fix: it is not written.
    expect(existsSync(join(app.path, "src/lib/safe-arithmetic.ts"))).toBe(false);
    expect(readFileSync(join(app.path, "src/ui/signup-form.tsx"), "utf8")).toContain(
      '<iframe sandbox="" src=',
    );
    expect(run.summary).toMatch(/4 file\(s\) changed, 3 refused, 1 skipped/);
    expect(run.summary).toContain(
      "src/lib/safe-arithmetic.ts (not written: it serves the fix of src/lib/calculator.ts",
    );
    const after = runCommand(app.path, demoTestCommand());
    expect(after.status, after.output).toBe(0);
  });

  it("sends the new module its own fix needs in another role's path to that owner as a change request, and leaves the other role's existing files alone", async () => {
    using app = demoCopy();
    git(app.path, "init", "-q", "-b", "main");
    const run = await runAs(app.path, "backend", ["src/**"]);
    const foreign = run.tools.foreignWrites?.() ?? [];
    expect(foreign.map((w) => [w.path, w.owner])).toEqual([["src/lib/safe-arithmetic.ts", "security"]]);
    expect(foreign[0]?.content).toContain("export function evaluateArithmetic");
    // Backend's own fixes are written; security's files and the co-owned form are refused, not requested.
    expect(readFileSync(join(app.path, "src/lib/calculator.ts"), "utf8")).toContain(
      "evaluateArithmetic(expression)",
    );
    expect(readFileSync(join(app.path, "src/routes/users.ts"), "utf8")).not.toMatch(/' \+ name/);
    expect(run.denials.map((d) => d.path)).toEqual([
      "src/lib/auth.ts",
      "src/lib/session.ts",
      "src/lib/shell.ts",
      "src/ui/signup-form.tsx",
      "src/lib/safe-arithmetic.ts",
    ]);
    expect(run.denials.at(-1)?.reason).toContain("goes to role security as a change request");
    expect(run.writes.at(-1)).toMatchObject({ ok: false });
    expect(run.summary).toMatch(
      /2 file\(s\) changed, 4 refused, 1 sent to their owners as change requests, 0 skipped/,
    );
    expect(run.summary).toContain(
      "change requests: src/lib/safe-arithmetic.ts to security (needed by src/lib/calculator.ts)",
    );
  });
});
