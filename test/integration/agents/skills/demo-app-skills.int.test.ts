import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BrainStep } from "../../../../src/agents/brains/brain.js";
import { createOfflineBrain } from "../../../../src/agents/brains/offline.js";
import { runSkill } from "../../../../src/agents/skills/index.js";
import { Budget, TaskSpec } from "../../../../src/protocol/index.js";
import { fsToolSet } from "../../../helpers/fs-toolset.js";
import { writeFiles } from "../../../helpers/git-repo.js";
import { DEMO_APP, demoCopy, demoTestCommand, runCommand, TYPE_ROOTS } from "./demo-app.js";

async function runBrain(workdir: string, role: string, expectedPaths: string[] = []) {
  const toolset = fsToolSet(workdir);
  const task = TaskSpec.parse({ taskId: `t-${role}`, role, title: role, instructions: "", expectedPaths });
  const steps: BrainStep[] = [];
  const brain = createOfflineBrain();
  for await (const step of brain.run({
    task: { goalId: "g1", goalText: "harden the demo", task, attempt: 1, charter: "" },
    tools: toolset.tools,
    workdir,
    signal: new AbortController().signal,
    budget: Budget.parse({}),
  })) {
    steps.push(step);
  }
  return { steps, toolset };
}

describe("offline skills on a copy of examples/demo-app", () => {
  it("fixes every seeded security and accessibility problem, and the app's own tests still pass", async () => {
    using app = demoCopy();
    const before = runCommand(app.path, demoTestCommand());
    expect(before.status, before.output).toBe(0);

    const security = await runBrain(app.path, "security");
    const frontend = await runBrain(app.path, "frontend");
    const written = [...security.toolset.calls, ...frontend.toolset.calls]
      .filter((c) => c.name === "write_file" && c.result.ok)
      .map((c) => (c.input as { path: string }).path)
      .sort();
    expect(written).toEqual([
      "public/index.html",
      "src/lib/auth.ts",
      "src/lib/calculator.ts",
      "src/lib/safe-arithmetic.ts",
      "src/lib/session.ts",
      "src/lib/shell.ts",
      "src/routes/users.ts",
      // Both change the form's iframe line: security adds sandbox, frontend a title (in the goal, a conflict).
      "src/ui/signup-form.tsx",
      "src/ui/signup-form.tsx",
    ]);
    const read = (path: string) => readFileSync(join(app.path, path), "utf8");
    expect(read("src/lib/calculator.ts")).not.toMatch(/\beval\(/);
    expect(read("src/lib/shell.ts")).toContain('execFile("wc", ["-l", path]');
    expect(read("src/lib/auth.ts")).not.toMatch(/sk_live_|9f8a7b6c/);
    expect(read("src/lib/session.ts")).not.toContain("Math.random");
    expect(read("src/routes/users.ts")).not.toMatch(/'\$\{|' \+/);
    expect(read("public/index.html")).toContain('<img alt="Logo"');
    expect(read("src/ui/signup-form.tsx")).toContain('<button type="submit">Sign up</button>');
    expect(read("src/ui/signup-form.tsx")).toContain('<iframe title="Terms" sandbox="" src="/terms.html"');

    const after = runCommand(app.path, demoTestCommand());
    expect(after.status, after.output).toBe(0);
    expect(after.output).toMatch(/# pass 12\n# fail 0/);
    const types = runCommand(app.path, ["tsc", "-p", "tsconfig.json", "--typeRoots", TYPE_ROOTS]);
    expect(types.status, types.output).toBe(0);

    const summary = security.steps.at(-1);
    expect(summary).toMatchObject({ kind: "summary" });
    expect(summary?.kind === "summary" && summary.text).toMatch(
      /^offline skill security: 8 found \(8 fixable\), 7 file\(s\) changed/,
    );
    expect(security.toolset.finished()).toBe(summary?.kind === "summary" ? summary.text : undefined);
  });

  it("documents every exported symbol of the demo's source", async () => {
    const report = await runSkill("docs", DEMO_APP);
    const doc = report.changes.find((c) => c.path === "docs/API.md")?.content ?? "";
    const exported: string[] = [];
    // An independent oracle: a plain scan of the source for export declarations.
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else
          for (const m of readFileSync(full, "utf8").matchAll(
            /^export (?:async )?(?:function|const|class|interface|type|enum) (\w+)/gm,
          ))
            exported.push(m[1] ?? "");
      }
    };
    walk(join(DEMO_APP, "src"));
    expect(exported.length).toBeGreaterThan(20);
    for (const name of exported) expect(doc).toContain(`### \`${name}\``);
    expect(report.findings.filter((f) => f.rule === "missing-jsdoc").map((f) => f.message)).toContain(
      "exported function isAuthorized has no JSDoc",
    );
  });

  it("generates characterization tests for the pure functions that pass when run, also after the security fixes", async () => {
    using app = demoCopy();
    const security = await runSkill("security", app.path);
    writeFiles(app.path, Object.fromEntries(security.changes.map((c) => [c.path, c.content])));
    const { steps, toolset } = await runBrain(app.path, "tests");
    const files = toolset.calls
      .filter((c) => c.name === "write_file" && c.result.ok)
      .map((c) => (c.input as { path: string }).path)
      .sort();
    expect(files).toEqual([
      "test/characterization/lib-calculator.test.ts",
      "test/characterization/lib-pricing.test.ts",
      "test/characterization/lib-safe-arithmetic.test.ts",
      "test/characterization/lib-slugify.test.ts",
      "test/characterization/lib-validation.test.ts",
      "test/characterization/ui-h.test.ts",
    ]);
    const slugTest = readFileSync(join(app.path, "test/characterization/lib-slugify.test.ts"), "utf8");
    expect(slugTest).toContain('assert.deepEqual(slugify("Hello World"), "hello-world");');
    const summary = steps.at(-1);
    expect(summary?.kind === "summary" && summary.text).toContain(
      "skipped src/lib/shell.ts: module imports node:child_process",
    );
    const run = runCommand(app.path, ["tsx", "--test", ...files]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/# fail 0/);
  });
});
