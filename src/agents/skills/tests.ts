import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Node, type SourceFile } from "ts-morph";
import { casesFor, type Sample, samplesFor } from "./characterize-inputs.js";
import { functionImpurity, moduleImpurity } from "./characterize-purity.js";
import { inScope, isTsSource, listFiles } from "./path-scope.js";
import { runChild } from "./run-child.js";
import { isTestPath } from "./security.js";
import { detectTestLayout } from "./test-layout.js";
import {
  type Characterized,
  characterizationPath,
  type Outcome,
  renderCharacterization,
} from "./tests-render.js";
import { loadSources } from "./ts-project.js";
import type { SkillOptions, SkillReport } from "./types.js";

interface Planned {
  fn: string;
  cases: Sample[][];
}

function runnerPath(): string {
  const ts = fileURLToPath(new URL("./characterize-runner.ts", import.meta.url));
  return existsSync(ts) ? ts : ts.replace(/\.ts$/, ".js");
}

/** Exported functions of a module worth characterizing, with their argument lists; others go to `skipped`. */
function plan(file: string, sf: SourceFile, report: SkillReport): Planned[] {
  const planned: Planned[] = [];
  for (const [name, decls] of sf.getExportedDeclarations()) {
    // The default export is reached by its own name when it has one; `import { default }` is no syntax.
    if (name === "default") continue;
    const decl = decls[0];
    const fn = Node.isVariableDeclaration(decl) ? decl.getInitializer() : decl;
    if (!fn || decl?.getSourceFile() !== sf) continue;
    if (!(Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)))
      continue;
    const impure = functionImpurity(fn);
    if (impure) {
      report.skipped.push({ file, reason: `${name}: ${impure}` });
      continue;
    }
    const samples: Sample[][] = [];
    // A rest parameter is left empty: the calls pass the fixed parameters only.
    const params = fn.getParameters().filter((p) => !p.isRestParameter());
    for (const param of params) {
      const s = samplesFor(param.getType(), param);
      if (!s) {
        report.skipped.push({
          file,
          reason: `${name}: no inputs can be made for ${param.getName()}: ${param.getType().getText(param)}`,
        });
        break;
      }
      samples.push(s);
    }
    if (samples.length === params.length) planned.push({ fn: name, cases: casesFor(samples) });
  }
  return planned;
}

/** Writes characterization tests (for the repository's runner: vitest, jest, mocha or node:test) for the pure exported functions of `src/**\/*.ts`, recording what they return today. */
export async function testsSkill(workdir: string, options: SkillOptions = {}): Promise<SkillReport> {
  const report: SkillReport = { skill: "tests", findings: [], changes: [], skipped: [] };
  const all = listFiles(
    workdir,
    (p) => p.startsWith("src/") && isTsSource(p) && !isTestPath(p) && !p.endsWith(".tsx"),
  );
  const scoped = all.filter((p) => inScope(p, options.paths));
  const layout = detectTestLayout(workdir, listFiles(workdir, isTestPath));
  const { project, sources } = loadSources(workdir, all);
  const load = (path: string) => project.getSourceFile(path);
  const tsx = createRequire(import.meta.url).resolve("tsx/cli");
  for (const file of scoped.length > 0 ? scoped : all) {
    const sf = sources.get(file);
    if (!sf) continue;
    const impure = moduleImpurity(sf, load);
    if (impure) {
      report.skipped.push({ file, reason: `module ${impure}, so its functions are not called` });
      continue;
    }
    const planned = plan(file, sf, report);
    if (planned.length === 0) continue;
    const calls = planned.flatMap((p) => p.cases.map((args) => ({ fn: p.fn, args })));
    const child = await runChild([process.execPath, tsx, runnerPath()], {
      cwd: workdir,
      input: JSON.stringify({ module: join(workdir, file), calls }),
      timeoutMs: 60_000,
      sandbox: options.sandbox,
    }).catch((error: unknown) => ({ code: -1, stdout: "", stderr: String(error) }));
    if (child.code !== 0) {
      report.skipped.push({
        file,
        reason: `running the module failed: ${child.stderr.trim().split("\n")[0] ?? ""}`,
      });
      continue;
    }
    const outcomes = JSON.parse(child.stdout) as Outcome[];
    const characterized: Characterized[] = planned.map((p) => ({ fn: p.fn, calls: [] }));
    calls.forEach((call, i) => {
      const outcome = outcomes[i];
      const target = characterized.find((c) => c.fn === call.fn);
      if (!outcome || !target) return;
      const args = call.args.map((a) => JSON.stringify(a)).join(", ");
      if (outcome.kind === "unsupported")
        report.skipped.push({ file, reason: `${call.fn}(${args}): ${outcome.reason}` });
      else if (!target.calls.some((c) => c.args === args)) target.calls.push({ args, outcome });
    });
    const kept = characterized.filter((c) => c.calls.length > 0);
    if (kept.length === 0) continue;
    const path = characterizationPath(file, layout);
    const count = kept.reduce((n, c) => n + c.calls.length, 0);
    report.changes.push({
      path,
      content: renderCharacterization(file, kept, layout),
      reason: `${count} recorded calls of ${kept.map((c) => c.fn).join(", ")}`,
    });
  }
  return report;
}
