import type { GuildConfig, TaskSpec } from "../../protocol/index.js";

/** What each offline skill does, as a task title and instructions. */
const SKILL_TASKS: Record<string, { title: string; instructions: string }> = {
  security: {
    title: "Find and fix security problems",
    instructions:
      "Scan the code you own for eval/new Function, shell commands built from input, hard-coded secrets, " +
      "weak randomness for tokens and SQL built by concatenation; fix them without changing behaviour.",
  },
  frontend: {
    title: "Fix accessibility problems in the UI",
    instructions: "Add missing alt text, button types and input labels in the pages and components you own.",
  },
  tests: {
    title: "Add characterization tests",
    instructions: "Pin the current behaviour of pure exported functions with characterization tests.",
  },
  docs: {
    title: "Write the API reference",
    instructions: "Write docs/API.md from the exported symbols and their JSDoc.",
  },
};

const ROLE_SKILL: Record<string, string> = {
  security: "security",
  backend: "security",
  frontend: "frontend",
  tests: "tests",
  docs: "docs",
};

/** The patterns of rules whose owners include `role` (as written or through the handle map). */
export function ownedPatterns(config: GuildConfig, role: string): string[] {
  const handles = new Set([
    `@${role}`,
    ...Object.entries(config.handles)
      .filter(([, r]) => r === role)
      .map(([h]) => h),
  ]);
  return config.rules.filter((r) => !r.protect && r.owners.some((o) => handles.has(o))).map((r) => r.pattern);
}

/**
 * The rule-based planner for offline skills: one task per role that has a skill and owns something,
 * its expected paths being the patterns that role owns. Every task is independent, so all run in parallel.
 */
export function planWithRules(goalText: string, config: GuildConfig): TaskSpec[] {
  const roles = Object.keys(config.roles).length > 0 ? Object.keys(config.roles) : Object.keys(ROLE_SKILL);
  const tasks: TaskSpec[] = [];
  for (const role of roles) {
    const brain = config.roles[role]?.brain;
    const skill = (brain?.kind === "offline" ? brain.skill : undefined) ?? ROLE_SKILL[role];
    const template = skill ? SKILL_TASKS[skill] : undefined;
    const expectedPaths = ownedPatterns(config, role);
    if (!template || expectedPaths.length === 0) continue;
    tasks.push({
      taskId: skill === role ? role : `${role}-${skill}`,
      role,
      title: template.title,
      instructions: `${template.instructions}\n\nGoal: ${goalText}`,
      expectedPaths,
      dependsOn: [],
      ...(skill ? { skill } : {}),
    });
  }
  return tasks;
}
