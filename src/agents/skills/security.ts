import { existsSync } from "node:fs";
import { join } from "node:path";
import { inScope, isTsSource, listFiles } from "./path-scope.js";
import { evalRule } from "./security-eval.js";
import { execRule } from "./security-exec.js";
import { iframeRule } from "./security-iframe.js";
import { randomRule } from "./security-random.js";
import { ruleContext, type SecurityRule } from "./security-rule.js";
import { secretsRule } from "./security-secrets.js";
import { sqlRule } from "./security-sql.js";
import { loadSources } from "./ts-project.js";
import type { FileChange, SkillOptions, SkillReport } from "./types.js";

const RULES: readonly SecurityRule[] = [evalRule, execRule, secretsRule, randomRule, sqlRule, iframeRule];

/** Whether a path is a test or fixture, where secrets and shell commands are expected. */
export function isTestPath(path: string): boolean {
  return /(^|\/)(test|tests|__tests__|fixtures)\//.test(path) || /\.(test|spec)\.tsx?$/.test(path);
}

/** Finds eval, shell injection, hard-coded secrets, weak token randomness, SQL concatenation and unsandboxed iframes, with fixes. */
export async function securitySkill(workdir: string, options: SkillOptions = {}): Promise<SkillReport> {
  const report: SkillReport = { skill: "security", findings: [], changes: [], skipped: [] };
  const all = listFiles(workdir, (p) => isTsSource(p) && inScope(p, options.paths));
  const tests = all.filter(isTestPath);
  if (tests.length > 0) {
    report.skipped.push({
      reason: `${tests.length} test file(s) not checked: secrets and commands there are fixtures`,
    });
  }
  const files = all.filter((p) => !isTestPath(p));
  const { sources } = loadSources(workdir, files);
  const added = new Map<string, FileChange>();
  const addModule = (path: string, content: string, reason: string, neededBy: string) => {
    if (!existsSync(join(workdir, path)) && !added.has(path))
      added.set(path, { path, content, reason, neededBy });
  };
  for (const [file, sf] of sources) {
    const before = sf.getFullText();
    const from = report.findings.length;
    for (const rule of RULES) {
      try {
        rule(ruleContext(file, sf, report.findings, report.skipped, addModule));
      } catch (error) {
        report.skipped.push({ file, reason: `a rule failed, file left as it was: ${String(error)}` });
        sf.replaceWithText(before);
      }
    }
    const after = sf.getFullText();
    if (after !== before) {
      const fixed = report.findings
        .slice(from)
        .filter((f) => f.fixed)
        .map((f) => f.rule);
      report.changes.push({
        path: file,
        content: after,
        reason: `security fixes: ${[...new Set(fixed)].join(", ")}`,
      });
    }
  }
  report.changes.push(...added.values());
  report.findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return report;
}
