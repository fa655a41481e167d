import { GuildError } from "../../protocol/index.js";
import type { Skill, SkillOptions, SkillReport } from "./types.js";

// Loaded on first use: the skills pull in ts-morph and the TypeScript compiler (tens of MB), which an
// agent with an LLM or scripted brain never needs, and every git process it spawns forks that memory.
const SKILLS = {
  security: async () => (await import("./security.js")).securitySkill,
  docs: async () => (await import("./docs.js")).docsSkill,
  tests: async () => (await import("./tests.js")).testsSkill,
  frontend: async () => (await import("./frontend.js")).frontendSkill,
} satisfies Record<string, () => Promise<Skill>>;

/** A name `runSkill` accepts. */
export type SkillName = keyof typeof SKILLS;

/** The offline skills, in the order the roles usually run them. */
export const skillNames: readonly SkillName[] = Object.keys(SKILLS) as SkillName[];

/** Whether a string names an offline skill. */
export function isSkillName(name: string): name is SkillName {
  return Object.hasOwn(SKILLS, name);
}

/**
 * Runs one offline skill over a worktree and returns its report; it reads files but writes none.
 * An unknown name (from a config, say) is a `config.invalid` error that lists the known ones.
 * @example const report = await runSkill("security", "/tmp/worktree", { paths: ["src/**"] });
 */
export async function runSkill(
  name: string,
  workdir: string,
  options: SkillOptions = {},
): Promise<SkillReport> {
  if (!isSkillName(name)) {
    throw new GuildError(
      "config.invalid",
      `no offline skill named ${name}; known: ${skillNames.join(", ")}`,
      {
        details: { setting: "skill", value: name },
      },
    );
  }
  const skill = await SKILLS[name]();
  return skill(workdir, options);
}

export { API_DOC_PATH } from "./api-doc-path.js";
export { inScope, matchesPattern } from "./path-scope.js";
export { characterizationPath } from "./tests-render.js";
export type { FileChange, Finding, Severity, Skill, SkillOptions, SkillReport, Skipped } from "./types.js";
