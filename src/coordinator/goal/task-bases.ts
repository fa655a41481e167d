import type { Bus } from "../../bus/index.js";
import { dependencyBase, exportBaseBundle } from "../../git/index.js";
import type { BaseBundle, Logger } from "../../protocol/index.js";
import { offerBaseBundle } from "./base-bundles.js";
import type { GoalContext, TaskRecord } from "./goal-types.js";
import { mergeEntries } from "./verify-integration.js";

/**
 * Where a task's first attempt starts: the goal's base, or, for a task whose dependencies brought
 * commits, their accepted heads merged onto it, so the dependent builds on their work. When the dependencies do not
 * merge cleanly the goal's base is kept; the integration merge then meets the same conflict and says so.
 */
export async function taskBase(ctx: GoalContext, task: TaskRecord, logger?: Logger): Promise<string> {
  // A task on another base keeps it (a revision on a winner's head, a dependent on its dependencies'); one
  // on the goal's base takes its dependencies' heads, also when it starts again because those were sent
  // back (`resetStaleDependents`).
  if (task.spec.dependsOn.length === 0 || task.base !== ctx.baseCommit) return task.base;
  const closure = new Set<string>();
  const visit = (id: string) => {
    if (closure.has(id)) return;
    closure.add(id);
    for (const dep of ctx.tasks[id]?.spec.dependsOn ?? []) visit(dep);
  };
  for (const dep of task.spec.dependsOn) visit(dep);
  const entries = mergeEntries(ctx).filter((e) => closure.has(e.id));
  if (entries.length === 0) return task.base;
  const merged = await dependencyBase(ctx.repo, ctx.baseCommit, entries);
  if (merged.kind === "merged") return merged.head;
  logger?.warn(
    { goalId: ctx.goalId, taskId: task.spec.taskId, with: merged.id, files: merged.files },
    "the task's dependencies conflict; it starts from the goal's base",
  );
  return task.base;
}

/**
 * Publishes the bundles an agent without the coordinator's repository needs to hold `commit`: the goal's
 * base with its history (once per commit, whatever the number of goals and tasks on it), and for a task
 * that starts elsewhere (a dependency's merged head, a winner's head) only what lies after the goal's base.
 * Keys name the repository and the commits, so a bundle is built once and found again after a restart.
 * They live while an unfinished goal stands on `goalBase` (`base-bundles.ts`); `retry` checks the store
 * again for a task sent out before, whose bundle may have been deleted since.
 */
export async function publishBaseBundles(
  bus: Bus,
  goal: { goalId: string; repo: string; repoId: string; goalBase: string; retry?: boolean },
  commit: string,
): Promise<BaseBundle[]> {
  const { goalId, repo, repoId, goalBase, retry = false } = goal;
  const full: BaseBundle = { key: `base.${repoId}.${goalBase}`, commit: goalBase };
  await offerBaseBundle(bus, goalId, full.key, () => exportBaseBundle(repo, { commit: goalBase }), retry);
  if (commit === goalBase) return [full];
  const after: BaseBundle = { key: `base.${repoId}.${goalBase}.${commit}`, commit, since: goalBase };
  await offerBaseBundle(
    bus,
    goalId,
    after.key,
    () => exportBaseBundle(repo, { commit, since: goalBase }),
    retry,
  );
  return [full, after];
}
