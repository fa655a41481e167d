import { BUILT_IN_PROTECTED, listTrackedFiles, type OwnershipMatcher } from "../../ownership/index.js";
import type { GuildConfig, PlanOwnershipEntry, PlanRequestPayload } from "../../protocol/index.js";

/** How many repository paths a plan request carries at most; the rest is summarised by `filesTotal`. */
export const PLAN_FILE_SAMPLE = 400;

/** The roles a plan may use: the configured ones, else the role priority list (the built-in roles). */
export function knownRolesOf(config: Pick<GuildConfig, "roles" | "rolePriority">): string[] {
  const configured = Object.keys(config.roles);
  return configured.length > 0 ? configured : [...config.rolePriority];
}

/** The ownership rules as a planner sees them: owners mapped to roles, protected patterns marked. */
export function ownershipSummary(
  config: Pick<GuildConfig, "protected">,
  matcher: OwnershipMatcher,
): PlanOwnershipEntry[] {
  const rules = matcher.rules.map((rule) => ({
    pattern: rule.pattern,
    owners: rule.owners.map((o) => matcher.roleOfOwner(o) ?? o),
    protected: rule.protect,
  }));
  const guarded = [...BUILT_IN_PROTECTED, ...config.protected].map((pattern) => ({
    pattern,
    owners: ["@human"],
    protected: true,
  }));
  return [...rules, ...guarded].slice(0, 1000);
}

/** An even sample of `files` (every k-th), so every part of a large repository shows up. */
export function sampleFiles(files: readonly string[], max = PLAN_FILE_SAMPLE): string[] {
  if (files.length <= max) return [...files];
  const step = files.length / max;
  return Array.from({ length: max }, (_, i) => files[Math.floor(i * step)] as string);
}

export interface PlanContextInput {
  text: string;
  config: GuildConfig;
  matcher: OwnershipMatcher;
  /** The repository, to list its tracked files; without it the request carries no file list. */
  repo?: string;
}

/** The first plan request for a goal: goal text, roles with charters, ownership, a file sample. */
export async function buildPlanRequest(
  input: PlanContextInput,
): Promise<Omit<PlanRequestPayload, "attempt" | "previousErrors" | "previousReply">> {
  const files = input.repo === undefined ? [] : await listTrackedFiles(input.repo);
  const { config } = input;
  return {
    goalText: input.text,
    roles: knownRolesOf(config).map((name) => ({
      name,
      charter: (config.roles[name]?.charter ?? "").slice(0, 5000),
    })),
    ownership: ownershipSummary(config, input.matcher),
    ...(config.defaultOwner === undefined ? {} : { defaultOwner: config.defaultOwner }),
    files: sampleFiles(files),
    filesTotal: files.length,
  };
}
