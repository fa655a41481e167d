import type { GuildConfig } from "../protocol/index.js";
import { normalizeRepoPath } from "./normalize-path.js";
import { compilePattern } from "./pattern.js";
import { plainScanLastMatch } from "./plain-scan.js";
import { BUILT_IN_PROTECTED } from "./protected-paths.js";
import { type CompiledRule, HUMAN_OWNER, isProtectingRule, type OwnershipRule } from "./rule.js";
import { RuleIndex } from "./rule-index.js";

/** Why a path has the owners it has. */
export interface Explanation {
  path: string;
  /** Owners as written on the deciding rule; empty when unowned. */
  owners: string[];
  roles: string[];
  /** The last matching rule, which decides; undefined when no rule matches. */
  rule: OwnershipRule | undefined;
  /** With GitLab sections, the last matching rule of each section; their owners combine. */
  decidedBy: OwnershipRule[];
  /** Earlier rules that also match, which the deciding rule overrode (in file order). */
  overridden: OwnershipRule[];
  protected: boolean;
  /** The rule or built-in entry that protects the path. */
  protectedBy: OwnershipRule | undefined;
}

/** Key of `partition` for paths no rule gives an owner. */
export const UNOWNED = "unowned";

/** Compiled ownership rules: who owns a path, why, and whether a role may write it. */
export class OwnershipMatcher {
  readonly rules: readonly CompiledRule[];
  /** One index per GitLab section (just one without sections): last match wins within each. */
  private readonly sections: RuleIndex[];
  private readonly protection: RuleIndex;
  private readonly protecting: OwnershipRule[];
  private readonly handles: Record<string, string>;
  private readonly roleNames: Set<string>;

  constructor(
    rules: readonly OwnershipRule[],
    config: Pick<GuildConfig, "roles" | "handles" | "rolePriority" | "protected">,
    source = "guild.yaml",
  ) {
    this.rules = rules.map((rule) => ({ ...rule, compiled: compilePattern(rule.pattern) }));
    const groups = new Map<string, CompiledRule[]>();
    for (const rule of this.rules) {
      // GitLab merges sections of the same name, ignoring case.
      const key = rule.section?.toLowerCase() ?? "";
      groups.set(key, [...(groups.get(key) ?? []), rule]);
    }
    this.sections =
      groups.size === 0 ? [new RuleIndex([])] : [...groups.values()].map((g) => new RuleIndex(g));
    this.protecting = [
      ...BUILT_IN_PROTECTED.map((pattern) => builtIn(pattern, "(built-in)")),
      ...config.protected.map((pattern) => builtIn(pattern, source)),
      ...this.rules.filter(isProtectingRule).map(plain),
    ];
    this.protection = new RuleIndex(
      this.protecting.map((rule, index) => ({ ...rule, index, compiled: compilePattern(rule.pattern) })),
    );
    this.handles = config.handles;
    this.roleNames = new Set([
      ...Object.keys(config.roles),
      ...Object.values(config.handles),
      ...config.rolePriority,
    ]);
  }

  /** Owners of `path` as written (`@security`, `alice@example.com`); empty means unowned. */
  ownerOf(path: string): string[] {
    const p = normalizeRepoPath(path);
    const [only] = this.sections;
    if (this.sections.length === 1) return only?.lastMatch(p)?.owners ?? [];
    return [...new Set(this.decidingRules(p).flatMap((rule) => rule.owners))];
  }

  /** Guild roles owning `path`: owners mapped through `handles`, or `@role` when `role` is a known role. */
  rolesOf(path: string): string[] {
    const roles = new Set<string>();
    for (const owner of this.ownerOf(path)) {
      const role = this.roleOfOwner(owner);
      if (role !== undefined) roles.add(role);
    }
    return [...roles];
  }

  /** The role an owner stands for, or undefined for people, `@human` and unknown handles. */
  roleOfOwner(owner: string): string | undefined {
    const mapped = this.handles[owner];
    if (mapped !== undefined) return mapped;
    if (owner === HUMAN_OWNER) return undefined;
    const name = owner.startsWith("@") ? owner.slice(1) : owner;
    return this.roleNames.has(name) ? name : undefined;
  }

  /** The deciding rule for `path`, the earlier matching rules it overrode, and its protection. */
  explain(path: string): Explanation {
    const p = normalizeRepoPath(path);
    const matches = this.matchingRules(p);
    const decidedBy = this.decidingRules(p);
    const rule = decidedBy.reduce<CompiledRule | undefined>(
      (a, b) => (a && a.index > b.index ? a : b),
      undefined,
    );
    const hit = this.protection.lastMatch(p);
    const protectedBy = hit && this.protecting[hit.index];
    return {
      path: p,
      owners: rule?.owners ?? [],
      roles: this.rolesOf(p),
      rule: rule && plain(rule),
      decidedBy: decidedBy.map(plain),
      overridden: matches.filter((m) => !decidedBy.includes(m)).map(plain),
      protected: protectedBy !== undefined,
      protectedBy,
    };
  }

  /** Groups paths by owner (a path with two owners is under both); unowned ones under `unowned`. */
  partition(paths: Iterable<string>): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const path of paths) {
      const owners = this.ownerOf(path);
      for (const owner of owners.length === 0 ? [UNOWNED] : owners) {
        const group = groups.get(owner);
        if (group) group.push(path);
        else groups.set(owner, [path]);
      }
    }
    return groups;
  }

  /** Whether a person must approve changes to `path` (built-ins, `protected`, `protect: true`, `@human`). */
  isProtected(path: string): boolean {
    return this.protection.lastMatch(normalizeRepoPath(path)) !== undefined;
  }

  /** Whether `role` owns `path` and the path is not protected. */
  canWrite(role: string, path: string): boolean {
    return !this.isProtected(path) && this.rolesOf(path).includes(role);
  }

  /** Every rule matching `path`, in order; for lint and coverage. */
  matchingRules(path: string): CompiledRule[] {
    const p = normalizeRepoPath(path);
    return this.sections.flatMap((section) => section.allMatches(p)).sort((a, b) => a.index - b.index);
  }

  private decidingRules(path: string): CompiledRule[] {
    return this.sections.map((section) => section.lastMatch(path)).filter((r) => r !== undefined);
  }

  /** The last matching rule found by testing every rule in order (sections ignored); the reference for tests. */
  scanLastMatch(path: string): CompiledRule | undefined {
    return plainScanLastMatch(this.rules, normalizeRepoPath(path));
  }
}

function builtIn(pattern: string, file: string): OwnershipRule {
  return { index: 0, pattern, owners: [HUMAN_OWNER], protect: true, file, line: 0 };
}

function plain(rule: CompiledRule): OwnershipRule {
  const { compiled: _compiled, ...rest } = rule;
  return rest;
}
