import type { CompiledPattern } from "./pattern.js";

/** Where a rule was written, for errors and `explain`. */
export interface RuleSource {
  file: string;
  /** 1-based line of the rule in its file. */
  line: number;
  /** GitLab-style `[Section]` the rule sits under, if any. */
  section?: string;
}

/** One ordered ownership rule: a pattern, its owners as written (empty = unowned), and protection. */
export interface OwnershipRule extends RuleSource {
  /** Position in the rule list; later rules win. */
  index: number;
  pattern: string;
  owners: string[];
  protect: boolean;
}

/** A rule with its pattern compiled, as the matchers use it. */
export interface CompiledRule extends OwnershipRule {
  compiled: CompiledPattern;
}

/** The owner written on paths that no person-free agent may change. */
export const HUMAN_OWNER = "@human";

/** Whether a rule marks its paths as needing a person's approval. */
export function isProtectingRule(rule: Pick<OwnershipRule, "owners" | "protect">): boolean {
  return rule.protect || rule.owners.includes(HUMAN_OWNER);
}
