import { hasLintFindings, lintOwnership, listTrackedFiles } from "../../ownership/index.js";
import type { Output } from "../output.js";
import { describeRule, type OwnersOptions, withOwnership } from "./owners-common.js";

/** `guild owners lint`: shadowed rules, unmatched patterns, unknown owners and coverage; exit 1 on findings. */
export function runOwnersLint(options: OwnersOptions & { json?: boolean }, output: Output): Promise<number> {
  return withOwnership(options, output, async ({ matcher, source, problems }) => {
    const report = lintOwnership(matcher, await listTrackedFiles(options.repoDir));
    const code = hasLintFindings(report) || problems.length > 0 ? 1 : 0;
    if (options.json) {
      output.out(JSON.stringify({ source, skipped: problems, ...report }));
      return code;
    }
    output.out(`rules: ${source} (${matcher.rules.length} rules)`);
    for (const p of problems) output.out(`skipped    ${p.file}:${p.line}  ${p.text.trim()}  (${p.expected})`);
    for (const { rule, by } of report.shadowed) {
      output.out(`shadowed   ${describeRule(rule)}`);
      output.out(`           never decides: covered by ${describeRule(by)}`);
    }
    for (const rule of report.unmatched) output.out(`no match   ${describeRule(rule)}`);
    for (const { owner, rules } of report.unknownOwners) {
      const lines = rules.map((r) => (r.line > 0 ? `${r.file}:${r.line}` : r.file)).join(", ");
      output.out(`unknown    ${owner} maps to no role (add it to handles in guild.yaml): ${lines}`);
    }
    const c = report.coverage;
    output.out(
      `coverage   ${c.percent.toFixed(1)}% of ${c.total} tracked files have an owner (${c.total - c.owned} unowned)`,
    );
    for (const f of c.largestUnowned) output.out(`           unowned folder ${f.folder}/ (${f.files} files)`);
    if (c.unownedTopLevelFiles > 0)
      output.out(`           ${c.unownedTopLevelFiles} unowned files at the root`);
    output.out(code === 0 ? "ok" : "problems found");
    return code;
  });
}
