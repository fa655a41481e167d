import { isMap, parseDocument } from "yaml";
import type { GuildConfig, OwnershipRuleConfig } from "../protocol/index.js";
import { OwnershipMatcher } from "./ownership-matcher.js";
import { HUMAN_OWNER, type OwnershipRule } from "./rule.js";

/** A CODEOWNERS owner no role stands for; it is kept as written in the imported rules. */
export interface UnmappedOwner {
  owner: string;
  /** Lines of the CODEOWNERS file that name it. */
  lines: number[];
}

/** guild.yaml rules equivalent to a CODEOWNERS file, and what could not be mapped to roles. */
export interface ImportedRules {
  rules: OwnershipRuleConfig[];
  unmapped: UnmappedOwner[];
}

/**
 * Converts CODEOWNERS rules to guild.yaml rules, mapping handles to roles through the config's `handles` and roles.
 * @example importCodeowners(parseCodeowners("/api/ @org/api\n", "CODEOWNERS"), config).rules
 */
export function importCodeowners(rules: readonly OwnershipRule[], config: GuildConfig): ImportedRules {
  const roles = new OwnershipMatcher([], config);
  const unmapped = new Map<string, number[]>();
  const converted = rules.map((rule): OwnershipRuleConfig => {
    const owners = rule.owners.map((owner) => {
      if (owner === HUMAN_OWNER) return owner;
      const role = roles.roleOfOwner(owner);
      if (role !== undefined) return role;
      unmapped.set(owner, [...(unmapped.get(owner) ?? []), rule.line]);
      return owner;
    });
    return { pattern: rule.pattern, owners: [...new Set(owners)], protect: rule.protect };
  });
  return { rules: converted, unmapped: [...unmapped].map(([owner, lines]) => ({ owner, lines })) };
}

/** guild.yaml text with its `rules` replaced (or a new file), keeping every other key and comment. */
export function withRules(existing: string | undefined, rules: readonly OwnershipRuleConfig[]): string {
  const current = parseDocument(existing ?? "");
  const doc = isMap(current.contents) ? current : parseDocument("version: 1\n");
  const plain = rules.map((r) => ({
    pattern: r.pattern,
    owners: r.owners,
    ...(r.protect ? { protect: true } : {}),
  }));
  doc.set("rules", doc.createNode(plain));
  return doc.toString({ lineWidth: 0 });
}
