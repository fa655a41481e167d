import { contractText, type TaskSpec } from "../../protocol/index.js";
import type { GoalContext, TaskRecord, TaskStatus } from "./goal-types.js";

// A provider whose agent has its task (or whose proposal is in review or accepted) will deliver its contract
// or be told it broke it; a pending or dead one will not.
const UNDER_WAY: ReadonlySet<TaskStatus> = new Set(["dispatched", "proposed", "awaiting", "accepted"]);

/**
 * Whether a task's dependency lets it start: the dependency is accepted, or it declared the exports it
 * provides and is under way, so the dependent works against the declaration. Merging stays in dependency
 * order (`dependencyOrder`) and a dependent whose provider does not land is dropped (`orphanedDependents`).
 */
export function dependencyLetsStart(context: GoalContext, depId: string): boolean {
  const dep = context.tasks[depId];
  if (!dep) return false;
  if (dep.status === "accepted") return true;
  return (dep.spec.provides?.length ?? 0) > 0 && UNDER_WAY.has(dep.status);
}

/** The contracts of a task's dependencies that have not merged yet, as a section for its instructions. */
export function withContracts(context: GoalContext, spec: TaskSpec): TaskSpec {
  const lines: string[] = [];
  for (const depId of spec.dependsOn) {
    const dep = context.tasks[depId];
    if (!dep?.spec.provides?.length) continue;
    for (const p of dep.spec.provides) lines.push(`- task ${depId} (${dep.spec.role}) ${contractText(p)}`);
  }
  const own = (spec.provides ?? []).map((p) => `- ${contractText(p)}`);
  const sections: string[] = [];
  if (lines.length > 0)
    sections.push(
      "Contracts of the tasks this one depends on (they may not be in your base yet: write against these " +
        `declarations exactly; you are told if a provider exports something else):\n${lines.join("\n")}`,
    );
  if (own.length > 0)
    sections.push(
      "This task declared that it provides (other tasks start against it before yours merges; keep to it " +
        `exactly):\n${own.join("\n")}`,
    );
  if (sections.length === 0) return spec;
  const extra = `\n\n${sections.join("\n\n")}`;
  return { ...spec, instructions: `${spec.instructions.slice(0, 20_000 - extra.length)}${extra}` };
}

/**
 * Accepted tasks that must not merge because a task they depend on (directly or through others) did not
 * land: rejected, failed, or never run. They started against its contract, so without it they are broken.
 */
export function orphanedDependents(context: GoalContext): { taskId: string; reason: string }[] {
  const out: { taskId: string; reason: string }[] = [];
  const lands = new Map<string, boolean>();
  const landed = (id: string, seen: Set<string>): boolean => {
    const known = lands.get(id);
    if (known !== undefined) return known;
    const t = context.tasks[id];
    // A cycle cannot pass the plan check; the guard keeps a bad record from recursing forever.
    if (t?.status !== "accepted" || seen.has(id)) return false;
    seen.add(id);
    const ok = t.spec.dependsOn.every((d) => landed(d, seen));
    lands.set(id, ok);
    return ok;
  };
  for (const id of context.order) {
    const t = context.tasks[id] as TaskRecord;
    if (t.status !== "accepted" || landed(id, new Set())) continue;
    const missing = t.spec.dependsOn.filter((d) => !landed(d, new Set()));
    out.push({
      taskId: id,
      reason: `it was built against ${missing.join(", ")}, which did not land (${missing
        .map((d) => `${d}: ${context.tasks[d]?.status ?? "unknown"}`)
        .join("; ")}); merging it alone would break the integration`,
    });
  }
  return out;
}

/** Task ids in plan order, each after the tasks it depends on: merge order, so no dependent precedes its provider. */
export function dependencyOrder(context: GoalContext): string[] {
  const out: string[] = [];
  const placed = new Set<string>();
  const place = (id: string, seen: Set<string>) => {
    if (placed.has(id) || seen.has(id) || !context.tasks[id]) return;
    seen.add(id);
    for (const dep of context.tasks[id]?.spec.dependsOn ?? []) place(dep, seen);
    placed.add(id);
    out.push(id);
  };
  for (const id of context.order) place(id, new Set());
  return out;
}
