import { BUILTIN_ROLES } from "../../agents/index.js";
import type { Ownership } from "../../ownership/index.js";

/**
 * The roles `guild up` runs agents for, with how many of each: the roles guild.yaml configures, plus every
 * role its rules name (a built-in one needs no entry in `roles`); the five built-ins when it names none.
 */
export function configuredRoles({ config, matcher }: Ownership): Map<string, number> {
  const roles = new Set(Object.keys(config.roles));
  for (const rule of matcher.rules) {
    for (const owner of rule.owners) {
      const role = matcher.roleOfOwner(owner);
      if (role !== undefined) roles.add(role);
    }
  }
  if (roles.size === 0) for (const role of Object.keys(BUILTIN_ROLES)) roles.add(role);
  return new Map([...roles].map((role) => [role, config.roles[role]?.replicas ?? 1]));
}
