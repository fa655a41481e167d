import type { SourceFile } from "ts-morph";
import type { Finding, Severity, Skipped } from "./types.js";

/** What a security rule may do while it looks at one file: report, add a module, explain a skip. */
export interface RuleContext {
  /** Workdir-relative path of the file. */
  file: string;
  sf: SourceFile;
  report(line: number, rule: string, severity: Severity, message: string, fixed: boolean): void;
  /** Adds a new file (workdir-relative) that this file's fix needs, unless it already exists in the worktree. */
  addModule(path: string, content: string, reason: string): void;
  skip(reason: string): void;
}

/** One security check; it edits `ctx.sf` in memory when it can fix what it finds. */
export type SecurityRule = (ctx: RuleContext) => void;

/** Builds the context for one file, appending to the shared lists. */
export function ruleContext(
  file: string,
  sf: SourceFile,
  findings: Finding[],
  skipped: Skipped[],
  addModule: (path: string, content: string, reason: string, neededBy: string) => void,
): RuleContext {
  return {
    file,
    sf,
    report: (line, rule, severity, message, fixed) =>
      findings.push({ file, line, rule, message, severity, fixed }),
    addModule: (path, content, reason) => addModule(path, content, reason, file),
    skip: (reason) => skipped.push({ file, reason }),
  };
}
