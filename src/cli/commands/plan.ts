import { resolve } from "node:path";
import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { draftPlan, type PlannedGoal, plannerKind, probePath } from "../../coordinator/index.js";
import { loadOwnership, type OwnershipMatcher } from "../../ownership/index.js";
import { type GuildConfig, isGuildError, type TaskSpec } from "../../protocol/index.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";

export interface PlanOptions {
  repo: string;
  json?: boolean;
  /** Attempts and time of the LLM planner; defaults as in `planGoal`. */
  attempts?: number;
  timeoutMs?: number;
}

/** The outcome of `guild plan`: the checked plan, or the planner's failure; `ok` when it could run. */
export interface PlanResult {
  ok: boolean;
  planned?: PlannedGoal;
  reason?: string;
}

function ownersOf(path: string, matcher: OwnershipMatcher, config: GuildConfig): string {
  const probe = probePath(path);
  if (matcher.isProtected(probe)) return "protected: a person";
  const roles = matcher.rolesOf(probe);
  if (roles.length > 0) return roles.join(", ");
  const owners = matcher.ownerOf(probe);
  if (owners.length > 0) return owners.join(", ");
  return config.defaultOwner ? `${config.defaultOwner} (default owner)` : "no owner";
}

/** The dependencies as a small tree: roots first, each dependent indented under what it waits for. */
export function dependencyTree(tasks: readonly TaskSpec[]): string[] {
  const children = new Map<string, string[]>();
  for (const t of tasks) for (const d of t.dependsOn) children.set(d, [...(children.get(d) ?? []), t.taskId]);
  const lines: string[] = [];
  const shown = new Set<string>();
  const walk = (id: string, prefix: string, last: boolean, depth: number): void => {
    const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
    const again = shown.has(id);
    lines.push(`${prefix}${branch}${id}${again ? " (see above)" : ""}`);
    if (again) return;
    shown.add(id);
    const kids = children.get(id) ?? [];
    const next = depth === 0 ? prefix : `${prefix}${last ? "   " : "│  "}`;
    for (const [i, kid] of kids.entries()) walk(kid, next, i === kids.length - 1, depth + 1);
  };
  for (const t of tasks) if (t.dependsOn.length === 0) walk(t.taskId, "  ", true, 0);
  const cyclic = tasks.filter((t) => !shown.has(t.taskId)).map((t) => t.taskId);
  if (cyclic.length > 0) lines.push(`  in a cycle, never ready: ${cyclic.join(", ")}`);
  return lines;
}

function printPlan(
  text: string,
  planned: PlannedGoal,
  ownership: { config: GuildConfig; matcher: OwnershipMatcher },
  output: Output,
): void {
  const { tasks, repairs, errors } = planned;
  output.out(`plan for ${JSON.stringify(text)} by ${planned.planner}: ${tasks.length} task(s)`);
  tasks.forEach((t, i) => {
    output.out("");
    output.out(`${i + 1}. ${t.taskId} [${t.role}] ${t.title}${t.skill ? ` (skill ${t.skill})` : ""}`);
    for (const p of t.expectedPaths)
      output.out(`     ${p}  → ${ownersOf(p, ownership.matcher, ownership.config)}`);
    if (t.expectedPaths.length === 0) output.out("     (no expected paths)");
    if (t.dependsOn.length > 0) output.out(`     after ${t.dependsOn.join(", ")}`);
  });
  if (tasks.length > 0) {
    output.out("");
    output.out("dependencies:");
    for (const line of dependencyTree(tasks)) output.out(line);
  }
  if (repairs.length > 0) {
    output.out("");
    output.out("repairs:");
    for (const r of repairs) output.out(`  - ${r}`);
  }
  if (errors.length > 0) {
    output.out("");
    output.out("errors (the coordinator would reject this plan):");
    for (const e of errors) output.out(`  - ${e}`);
  }
  if (planned.usage.inputTokens + planned.usage.outputTokens > 0) {
    output.err(`tokens: ${planned.usage.inputTokens} in, ${planned.usage.outputTokens} out`);
  }
}

/**
 * Shows the checked plan for a goal without running it: offline with the rules planner, or through the
 * LLM planner on `bus` when guild.yaml sets `planner`. With `json`, prints the `TaskSpec[]` for
 * `guild goal --plan <file>` (only when the plan is valid).
 */
export async function runPlan(
  bus: Bus | undefined,
  text: string,
  options: PlanOptions,
  output: Output,
): Promise<PlanResult> {
  const repo = resolve(options.repo);
  const ownership = await loadOwnership({ repoDir: repo });
  let planned: PlannedGoal;
  try {
    planned = await draftPlan({
      text,
      repo,
      ownership,
      ...(bus ? { bus } : {}),
      ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  } catch (error) {
    if (!isGuildError(error, "plan.invalid")) throw error;
    output.err(`guild plan: ${error.message}`);
    return { ok: false, reason: error.message };
  }
  const ok = planned.errors.length === 0;
  if (options.json) {
    if (ok) output.out(JSON.stringify(planned.tasks, null, 2));
    for (const r of planned.repairs) output.err(`repaired: ${r}`);
    for (const e of planned.errors) output.err(`error: ${e}`);
  } else printPlan(text, planned, ownership, output);
  return { ok, planned };
}

export function registerPlanCommand(program: Command): void {
  program
    .command("plan <text>")
    .description("show the plan for a goal (tasks, owners, dependencies) without running it")
    .option("--repo <path>", "the repository to plan for", ".")
    .option("--json", "print the tasks as JSON, usable as `guild goal --plan <file>`")
    .action(async (text: string, opts: { repo: string; json?: boolean }) => {
      const { config } = await loadOwnership({ repoDir: resolve(opts.repo) });
      const connection = plannerKind(config) === "llm" ? await connectBus({}) : undefined;
      try {
        const result = await runPlan(
          connection?.bus,
          text,
          { repo: opts.repo, json: Boolean(opts.json) },
          processOutput,
        );
        process.exitCode = result.ok ? 0 : 1;
      } finally {
        await connection?.close();
      }
    });
}
