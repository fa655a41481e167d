import type { Bus } from "../../bus/index.js";
import { dependencyBase, exportBaseBundle } from "../../git/index.js";
import type { BaseBundle, Logger } from "../../protocol/index.js";
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

// Per bus (one per coordinator process): keys already in the blob store, or being put there.
const published = new WeakMap<Bus, Map<string, Promise<void>>>();

/**
 * Publishes the bundles an agent without the coordinator's repository needs to hold `commit`: the goal's
 * base with its history (once per commit, whatever the number of goals and tasks on it), and for a task
 * that starts elsewhere (a dependency's merged head, a winner's head) only what lies after the goal's base.
 * Keys name the repository and the commits, so a bundle is built once and found again after a restart.
 */
export async function publishBaseBundles(
  bus: Bus,
  repo: string,
  repoId: string,
  goalBase: string,
  commit: string,
): Promise<BaseBundle[]> {
  const full: BaseBundle = { key: `base.${repoId}.${goalBase}`, commit: goalBase };
  await publishOnce(bus, full.key, () => exportBaseBundle(repo, { commit: goalBase }));
  if (commit === goalBase) return [full];
  const after: BaseBundle = { key: `base.${repoId}.${goalBase}.${commit}`, commit, since: goalBase };
  await publishOnce(bus, after.key, () => exportBaseBundle(repo, { commit, since: goalBase }));
  return [full, after];
}

function publishOnce(bus: Bus, key: string, make: () => Promise<Uint8Array>): Promise<void> {
  let keys = published.get(bus);
  if (!keys) {
    keys = new Map();
    published.set(bus, keys);
  }
  const known = keys.get(key);
  if (known) return known;
  const put = (async () => {
    if (await bus.blobs.info(key)) return;
    await bus.blobs.put(key, await make());
  })();
  keys.set(key, put);
  // A failed put is tried again by the next dispatch that needs it.
  put.catch(() => keys.delete(key));
  return put;
}
