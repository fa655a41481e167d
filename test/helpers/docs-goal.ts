// One docs task on a repository where the docs role runs an OpenAI brain on a scripted server: the smallest
// goal that goes through a real agent and its model.
import { MemoryBus } from "../../src/bus/index.js";
import { type GoalResult, submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import type { TaskSpec } from "../../src/protocol/index.js";
import { tempRepo } from "./git-repo.js";
import { startCheckoutGuild } from "./host-config.js";

/** The plan: one task for docs, which owns docs/. */
export const docsPlan: TaskSpec[] = [
  {
    taskId: "d",
    role: "docs",
    title: "docs",
    instructions: "write",
    expectedPaths: ["docs/**"],
    dependsOn: [],
  },
];

/** A repository with docs/README.md, whose docs role's brain is at `baseURL`; `extra` is added to guild.yaml. */
export function docsRepo(baseURL: string, extra = "") {
  return tempRepo({
    "guild.yaml": `version: 1
rules:
  - { pattern: "docs/**", owners: ["@docs"] }
roles:
  docs: { brain: { kind: openai, model: m, baseURL: "${baseURL}" } }
${extra}`,
    "docs/README.md": "docs\n",
  });
}

/**
 * Runs the docs goal `goalId` on a docsRepo to its end with a docs agent on the memory bus, `before` run
 * once the agent is up; returns the goal's result.
 */
export async function runDocsGoal(
  baseURL: string,
  goalId: string,
  options: { extra?: string; before?: (bus: MemoryBus) => Promise<unknown> } = {},
): Promise<GoalResult> {
  using repo = docsRepo(baseURL, options.extra);
  const bus = new MemoryBus();
  const guild = await startCheckoutGuild(bus, repo.path, { roles: ["docs"] });
  try {
    await options.before?.(bus);
    return await submitGoal(
      bus,
      "write docs",
      { repo: repo.path, wait: true, plan: docsPlan, goalId, timeoutMs: 60_000 },
      collectOutput(),
    );
  } finally {
    await guild.stop();
    await bus.close();
  }
}
