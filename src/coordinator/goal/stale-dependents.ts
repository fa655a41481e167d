import type { TaskRecord } from "./goal-types.js";

const BUILT_ON = new Set(["dispatched", "proposed", "accepted"]);

/**
 * A dependent starts from its dependencies' accepted heads (`taskBase`). When one of those dependencies
 * is later sent back (it lost a settlement, broke the tests) or dropped, the dependent's work carries a
 * head that will not be merged: merging it would bring that head's commits back in. Such dependents go
 * back to pending on the goal's base, so they start again from their dependencies' new heads once those
 * are accepted (or are blocked with them); their stale attempt's proposal is then no longer current.
 * Dependents that started from the goal's base are untouched. Not a revision of their own: `revisions`
 * stays as it was.
 */
export function resetStaleDependents(
  tasks: Record<string, TaskRecord>,
  changed: readonly string[],
  goalBase: string,
): Record<string, TaskRecord> {
  if (changed.length === 0) return tasks;
  const out = { ...tasks };
  const stale = new Set(changed);
  // Transitive: a dependent of a reset dependent was built on its head too.
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of Object.values(out)) {
      const id = t.spec.taskId;
      if (stale.has(id) || t.base === goalBase || !BUILT_ON.has(t.status)) continue;
      const on = t.spec.dependsOn.find((d) => stale.has(d));
      if (on === undefined) continue;
      out[id] = {
        ...t,
        status: "pending",
        base: goalBase,
        reason: `it was built on the work of ${on}, which was sent back or dropped; it starts again from its dependencies' new work`,
      };
      stale.add(id);
      grew = true;
    }
  }
  return out;
}
