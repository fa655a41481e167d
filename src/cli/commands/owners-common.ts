import {
  formatRulesError,
  loadOwnership,
  type Ownership,
  type OwnershipRule,
} from "../../ownership/index.js";
import { isGuildError } from "../../protocol/index.js";
import type { Output } from "../output.js";

/** Options every `guild owners` subcommand takes. */
export interface OwnersOptions {
  /** Repository root; paths are relative to it. */
  repoDir: string;
  /** A rules file (CODEOWNERS or guild.yaml, told apart by content) instead of the usual places. */
  rules?: string;
  /** Whether output is JSON (skipped CODEOWNERS lines are then reported as JSON on stderr too). */
  json?: boolean;
}

/** Loads the rules and runs `body`; rule and config errors are printed and exit 2. */
export async function withOwnership(
  options: OwnersOptions,
  output: Output,
  body: (ownership: Ownership) => Promise<number> | number,
): Promise<number> {
  try {
    const ownership = await loadOwnership({
      repoDir: options.repoDir,
      ...(options.rules === undefined ? {} : { rulesFile: options.rules }),
    });
    reportProblems(ownership, output, options.json === true);
    return await body(ownership);
  } catch (error) {
    return reportRulesError(error, output);
  }
}

/** Reports every CODEOWNERS line that was skipped, as GitHub skips it, on stderr. */
function reportProblems(ownership: Ownership, output: Output, json: boolean): void {
  if (ownership.problems.length === 0) return;
  if (json) {
    output.err(JSON.stringify({ skipped: ownership.problems }));
    return;
  }
  for (const p of ownership.problems)
    output.err(`skipped ${p.message} (the line is ignored, as GitHub does)`);
  output.err(`${ownership.problems.length} line(s) of ${ownership.source} skipped; the other rules apply`);
}

/** Prints a rules or config error and returns exit code 2; anything else is rethrown. */
export function reportRulesError(error: unknown, output: Output): number {
  if (isGuildError(error, "ownership.parse") || isGuildError(error, "config.invalid")) {
    output.err(formatRulesError(error));
    return 2;
  }
  throw error;
}

/** `file:line  pattern owners…` for one rule. */
export function describeRule(rule: OwnershipRule): string {
  const where = rule.line > 0 ? `${rule.file}:${rule.line}` : rule.file;
  const owners = rule.owners.length === 0 ? "(no owners)" : rule.owners.join(" ");
  return `${where}  ${rule.pattern}  ${owners}${rule.protect ? "  [protect]" : ""}`;
}
