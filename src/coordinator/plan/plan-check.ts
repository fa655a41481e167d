import type { OwnershipMatcher } from "../../ownership/index.js";
import type { GuildConfig, PlanDraft, PlanDraftTask, TaskSpec } from "../../protocol/index.js";
import { checkProvides } from "./plan-contracts.js";
import { findCycles } from "./plan-graph.js";
import { cleanExpectedPath, probePath } from "./plan-paths.js";

/** What the plan check needs: the config (for `defaultOwner`), the compiled rules, and the roles that exist. */
export interface PlanCheckContext {
  config: Pick<GuildConfig, "defaultOwner">;
  matcher: OwnershipMatcher;
  knownRoles: readonly string[];
}

/** A checked plan: the tasks (always, for display), what was repaired, and what makes it unusable. */
export interface PlanCheck {
  tasks: TaskSpec[];
  repairs: string[];
  errors: string[];
}

const MAX_ID = 64;

/** A task id made into one subject token: lower case, runs of other characters become `-`. */
export function slugifyTaskId(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_ID)
    .replace(/-+$/, "");
}

function assignIds(tasks: readonly PlanDraftTask[], repairs: string[]) {
  const ids: string[] = [];
  const byRaw = new Map<string, string>();
  const bySlug = new Map<string, string>();
  const used = new Set<string>();
  tasks.forEach((task, i) => {
    const slug = slugifyTaskId(task.id) || `task-${i + 1}`;
    let id = slug;
    for (let n = 2; used.has(id); n++) id = `${slug.slice(0, MAX_ID - String(n).length - 1)}-${n}`;
    used.add(id);
    ids.push(id);
    if (id !== task.id) {
      const why = id === slug ? "made a token" : "duplicate, renamed";
      repairs.push(`task id ${JSON.stringify(task.id)} → "${id}" (${why})`);
    }
    if (!byRaw.has(task.id)) byRaw.set(task.id, id);
    if (!bySlug.has(slug)) bySlug.set(slug, id);
  });
  const resolve = (raw: string) => byRaw.get(raw) ?? bySlug.get(slugifyTaskId(raw));
  return { ids, resolve };
}

function checkRole(raw: string, id: string, ctx: PlanCheckContext, repairs: string[], errors: string[]) {
  const role = raw.trim();
  if (ctx.knownRoles.includes(role)) return { role, known: true };
  const lower = role.toLowerCase();
  if (ctx.knownRoles.includes(lower)) {
    repairs.push(`task ${id}: role ${JSON.stringify(raw)} → "${lower}"`);
    return { role: lower, known: true };
  }
  errors.push(
    `task ${id}: unknown role ${JSON.stringify(raw)} (known roles: ${ctx.knownRoles.join(", ") || "none"})`,
  );
  return { role, known: false };
}

/** The role that `defaultOwner` stands for, if it is one. */
function defaultRole(ctx: PlanCheckContext): string | undefined {
  const owner = ctx.config.defaultOwner;
  if (owner === undefined) return undefined;
  return ctx.matcher.roleOfOwner(owner) ?? (ctx.knownRoles.includes(owner) ? owner : undefined);
}

function checkPaths(
  task: PlanDraftTask,
  id: string,
  role: string | undefined,
  ctx: PlanCheckContext,
  repairs: string[],
  errors: string[],
): string[] {
  const out: string[] = [];
  for (const raw of task.expectedPaths) {
    const cleaned = cleanExpectedPath(raw);
    if (!cleaned.ok) {
      errors.push(`task ${id}: expected path ${JSON.stringify(raw)} ${cleaned.reason}`);
      continue;
    }
    const path = cleaned.path;
    if (out.includes(path)) {
      repairs.push(`task ${id}: dropped repeated expected path ${path}`);
      continue;
    }
    if (path !== raw) repairs.push(`task ${id}: expected path ${JSON.stringify(raw)} → ${path}`);
    out.push(path);
    if (role === undefined) continue;
    const probe = probePath(path);
    if (ctx.matcher.isProtected(probe)) {
      errors.push(`task ${id}: ${path} is protected: it needs a person, leave it out of the plan`);
      continue;
    }
    let owners = ctx.matcher.rolesOf(probe);
    if (ctx.matcher.ownerOf(probe).length === 0) {
      const fallback = ctx.config.defaultOwner;
      if (fallback === undefined) {
        errors.push(`task ${id}: ${path} has no owner (no rule covers it and no defaultOwner is set)`);
        continue;
      }
      repairs.push(`task ${id}: ${path} has no owner; assigned to the default owner ${fallback}`);
      const fallbackRole = defaultRole(ctx);
      owners = fallbackRole === undefined ? [] : [fallbackRole];
    }
    if (!owners.includes(role)) {
      const who = owners.length > 0 ? owners.join(", ") : ctx.matcher.ownerOf(probe).join(", ") || "no role";
      errors.push(
        `task ${id} (${role}): ${path} is owned by ${who}, not ${role}; give it to a task of that role`,
      );
    }
  }
  return out;
}

function checkDependencies(
  task: PlanDraftTask,
  id: string,
  resolve: (raw: string) => string | undefined,
  repairs: string[],
): string[] {
  const deps: string[] = [];
  for (const raw of task.dependsOn) {
    const dep = resolve(raw);
    if (dep === undefined)
      repairs.push(`task ${id}: dropped dependency on unknown task ${JSON.stringify(raw)}`);
    else if (dep === id) repairs.push(`task ${id}: dropped its dependency on itself`);
    else if (deps.includes(dep)) repairs.push(`task ${id}: dropped repeated dependency on ${dep}`);
    else {
      if (dep !== raw) repairs.push(`task ${id}: dependency ${JSON.stringify(raw)} → ${dep}`);
      deps.push(dep);
    }
  }
  return deps;
}

/**
 * Checks a drafted plan against the roles and the ownership rules: repairs what is safe (ids, role case,
 * stray dependencies, paths, the default owner) and reports what is not (unknown roles, cycles, an empty
 * plan, unowned, foreign or protected expected paths). Pure; never throws on any draft.
 * @example const { tasks, errors } = checkPlan(draft, { config, matcher, knownRoles: ["backend"] });
 */
export function checkPlan(draft: PlanDraft, ctx: PlanCheckContext): PlanCheck {
  const repairs: string[] = [];
  const errors: string[] = [];
  if (draft.tasks.length === 0) errors.push("the plan is empty: it has no tasks");
  const { ids, resolve } = assignIds(draft.tasks, repairs);
  const tasks = draft.tasks.map((task, i): TaskSpec => {
    const id = ids[i] as string;
    const { role, known } = checkRole(task.role, id, ctx, repairs, errors);
    const provides = checkProvides(task, id, known ? role : undefined, ctx.matcher, repairs);
    const title = task.title.trim().slice(0, 500) || id;
    if (title !== task.title) repairs.push(`task ${id}: title trimmed`);
    return {
      taskId: id,
      role,
      title,
      instructions: task.instructions.trim(),
      expectedPaths: checkPaths(task, id, known ? role : undefined, ctx, repairs, errors),
      dependsOn: checkDependencies(task, id, resolve, repairs),
      ...(task.skill === undefined ? {} : { skill: task.skill }),
      ...(provides?.length ? { provides } : {}),
    };
  });
  const graph = new Map(tasks.map((t) => [t.taskId, t.dependsOn]));
  for (const cycle of findCycles(graph)) errors.push(`dependency cycle: ${cycle.join(" → ")}`);
  return { tasks, repairs, errors };
}

/** A plan already in `TaskSpec` form (prepared, or from the rules planner) as a draft, to check it again. */
export function draftOfTasks(tasks: readonly TaskSpec[]): PlanDraft {
  return {
    tasks: tasks.map((t) => ({
      id: t.taskId,
      role: t.role,
      title: t.title,
      instructions: t.instructions,
      expectedPaths: t.expectedPaths,
      dependsOn: t.dependsOn,
      ...(t.skill === undefined ? {} : { skill: t.skill }),
      ...(t.provides === undefined ? {} : { provides: t.provides }),
    })),
  };
}
