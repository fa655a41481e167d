import type { TaskSpec } from "../src/protocol/index.js";

export const BENCH_ROLES = ["backend", "frontend", "security", "tests", "docs"] as const;

/**
 * A plan of `chains` dependency chains of `chainLength` tasks (each step a different role, so work hops
 * between teams) plus independent tasks up to `total`; roles are dealt round-robin, so each role gets an
 * equal share. Every task writes one file in its role's folder.
 */
export function benchPlan(total: number, chains: number, chainLength: number): TaskSpec[] {
  const tasks: TaskSpec[] = [];
  const add = (role: string, dependsOn: string[]): string => {
    const taskId = `t${String(tasks.length + 1).padStart(2, "0")}`;
    tasks.push({
      taskId,
      role,
      title: `${role} task ${taskId}`,
      instructions: "scripted",
      expectedPaths: [`${role}/${taskId}.txt`],
      dependsOn,
    });
    return taskId;
  };
  let r = 0;
  const nextRole = () => BENCH_ROLES[r++ % BENCH_ROLES.length] as string;
  for (let c = 0; c < chains; c++) {
    let previous: string | undefined;
    for (let i = 0; i < chainLength; i++) previous = add(nextRole(), previous ? [previous] : []);
  }
  while (tasks.length < total) add(nextRole(), []);
  return tasks;
}

/**
 * The ideal makespan: a list-scheduling simulation with `workers` per role and `duration` per task and no
 * other cost. At each instant every idle worker of a role takes the first ready task of its role in plan
 * order (a task is ready when all its dependencies have finished); time jumps to the next finish.
 * This is what the coordinator could achieve with zero orchestration overhead and the same FIFO policy.
 */
export function idealMakespan(
  plan: TaskSpec[],
  workers: number,
  duration: number | ((task: TaskSpec) => number),
): number {
  const durationOf = typeof duration === "number" ? () => duration : duration;
  const finish = new Map<string, number>();
  const running: { id: string; role: string; end: number }[] = [];
  let now = 0;
  while (finish.size < plan.length) {
    for (const t of plan) {
      if (finish.has(t.taskId) || running.some((x) => x.id === t.taskId)) continue;
      const ready = t.dependsOn.every((d) => (finish.get(d) ?? Number.POSITIVE_INFINITY) <= now);
      const busy = running.filter((x) => x.role === t.role).length;
      if (ready && busy < workers) running.push({ id: t.taskId, role: t.role, end: now + durationOf(t) });
    }
    if (running.length === 0) throw new Error("the plan has a cycle or an unknown dependency");
    now = Math.min(...running.map((x) => x.end));
    for (const x of running.filter((y) => y.end === now)) {
      finish.set(x.id, now);
      running.splice(running.indexOf(x), 1);
    }
  }
  return now;
}

/** The two lower bounds the ideal respects: the longest chain, and the busiest role's share of work. */
export function lowerBounds(plan: TaskSpec[], workers: number, durationMs: number) {
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const t = plan.find((p) => p.taskId === id);
    const d = 1 + Math.max(0, ...(t?.dependsOn ?? []).map(depthOf));
    depth.set(id, d);
    return d;
  };
  const criticalPath = Math.max(...plan.map((t) => depthOf(t.taskId))) * durationMs;
  const perRole = new Map<string, number>();
  for (const t of plan) perRole.set(t.role, (perRole.get(t.role) ?? 0) + 1);
  const roleLoad = Math.max(...[...perRole.values()].map((n) => Math.ceil(n / workers))) * durationMs;
  return { criticalPath, roleLoad };
}
