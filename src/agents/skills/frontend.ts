import { readFileSync } from "node:fs";
import { join } from "node:path";
import { applyHtmlEdits, type HtmlEdit, htmlA11yEdits } from "./frontend-html.js";
import { tsxA11yEdits } from "./frontend-tsx.js";
import { inScope, listFiles } from "./path-scope.js";
import { loadSources } from "./ts-project.js";
import type { SkillOptions, SkillReport } from "./types.js";

/** Adds missing `alt`, button `type` and field labels (`aria-label`) in HTML and TSX files. */
export async function frontendSkill(workdir: string, options: SkillOptions = {}): Promise<SkillReport> {
  const report: SkillReport = { skill: "frontend", findings: [], changes: [], skipped: [] };
  const files = listFiles(workdir, (p) => /\.(html?|tsx)$/.test(p) && inScope(p, options.paths));
  if (files.length === 0) report.skipped.push({ reason: "no .html or .tsx files in scope" });
  const tsxFiles = files.filter((f) => f.endsWith(".tsx"));
  const { project, sources } = loadSources(workdir, tsxFiles);
  for (const file of files) {
    const text = readFileSync(join(workdir, file), "utf8");
    let edits: HtmlEdit[];
    const sf = sources.get(file);
    if (sf) {
      // Syntax only: type errors in a component are no reason to leave its markup inaccessible.
      const syntax = project.getProgram().getSyntacticDiagnostics(sf);
      if (syntax.length > 0) {
        report.skipped.push({ file, reason: "does not parse as TSX; left alone" });
        continue;
      }
      edits = tsxA11yEdits(sf);
    } else {
      edits = htmlA11yEdits(text);
    }
    for (const edit of edits) {
      report.findings.push({
        file,
        line: edit.line,
        rule: edit.fix.rule,
        message: edit.fix.message,
        severity: "medium",
        fixed: true,
      });
    }
    if (edits.length > 0) {
      const rules = [...new Set(edits.map((e) => e.fix.rule))].join(", ");
      report.changes.push({
        path: file,
        content: applyHtmlEdits(text, edits),
        reason: `accessibility fixes: ${rules}`,
      });
    }
  }
  return report;
}
