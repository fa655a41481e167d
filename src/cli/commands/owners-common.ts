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
    return await body(ownership);
  } catch (error) {
    return reportRulesError(error, output);
  }
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
