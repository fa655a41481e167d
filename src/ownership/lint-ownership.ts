import { type Coverage, measureCoverage } from "./coverage.js";
import type { OwnershipMatcher } from "./ownership-matcher.js";
import { HUMAN_OWNER, type OwnershipRule } from "./rule.js";
import { findShadowedRules } from "./shadowing.js";

/** An owner that maps to no guild role, with the rules that name it. */
export interface UnknownOwner {
  owner: string;
  rules: OwnershipRule[];
}

/** What `guild owners lint` finds. */
export interface LintReport {
  /** Rules a later rule wholly covers, so they can never decide a path. */
  shadowed: { rule: OwnershipRule; by: OwnershipRule }[];
  /** Rules whose pattern matches no tracked file. */
  unmatched: OwnershipRule[];
  unknownOwners: UnknownOwner[];
  coverage: Coverage;
}

/** Lints rules against the repository's tracked files. */
export function lintOwnership(matcher: OwnershipMatcher, files: readonly string[]): LintReport {
  const matched = new Set<number>();
  for (const file of files) for (const rule of matcher.matchingRules(file)) matched.add(rule.index);
  const unknown = new Map<string, OwnershipRule[]>();
  for (const rule of matcher.rules) {
    for (const owner of rule.owners) {
      if (owner === HUMAN_OWNER || matcher.roleOfOwner(owner) !== undefined) continue;
      const list = unknown.get(owner) ?? [];
      list.push(plain(rule));
      unknown.set(owner, list);
    }
  }
  return {
    shadowed: findShadowedRules(matcher.rules).map(({ rule, by }) => ({ rule: plain(rule), by: plain(by) })),
    unmatched: matcher.rules.filter((r) => !matched.has(r.index)).map(plain),
    unknownOwners: [...unknown].map(([owner, rules]) => ({ owner, rules })),
    coverage: measureCoverage(matcher, files),
  };
}

/** Whether the report has anything to fix (coverage alone is information, not a finding). */
export function hasLintFindings(report: LintReport): boolean {
  return report.shadowed.length + report.unmatched.length + report.unknownOwners.length > 0;
}

function plain(rule: OwnershipRule & { compiled?: unknown }): OwnershipRule {
  const { compiled: _compiled, ...rest } = rule;
  return rest;
}
