import { z } from "zod";
import type { Bus } from "../bus/index.js";

const decoder = new TextDecoder();

/**
 * The part of the coordinator's `goal.<id>` record the dashboard shows. Parsed leniently (unknown fields
 * pass), so a newer coordinator's record still shows, and a malformed one is refused with its reason.
 */
const StoredProposal = z.object({
  proposalId: z.string(),
  taskId: z.string(),
  attempt: z.number(),
  role: z.string(),
  agentId: z.string(),
  baseCommit: z.string(),
  headCommit: z.string(),
  changedPaths: z.array(z.string()),
  rationale: z.string(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).partial().optional(),
  checks: z.array(z.object({ command: z.string(), exitCode: z.number().nullable() })).optional(),
});

const StoredTask = z.object({
  spec: z.object({
    taskId: z.string(),
    role: z.string(),
    title: z.string(),
    dependsOn: z.array(z.string()).default([]),
    expectedPaths: z.array(z.string()).default([]),
  }),
  status: z.string(),
  attempt: z.number(),
  reason: z.string().optional(),
  revisions: z.number().default(0),
  dispatchedAt: z.number().optional(),
  proposedAt: z.number().optional(),
  proposal: StoredProposal.optional(),
});

const StoredDecision = z.object({
  id: z.string(),
  kind: z.string(),
  taskIds: z.array(z.string()),
  paths: z.array(z.string()),
  reason: z.string(),
  diff: z.string().default(""),
  createdAt: z.string(),
  resolution: z
    .object({ approved: z.boolean(), reason: z.string(), winner: z.string().optional() })
    .optional(),
});

const StoredGoal = z.object({
  goalId: z.string(),
  state: z.string(),
  status: z.string(),
  updatedAt: z.string(),
  context: z.object({
    text: z.string(),
    repo: z.string(),
    baseRef: z.string().optional(),
    baseCommit: z.string().optional(),
    tasks: z.record(z.string(), StoredTask),
    order: z.array(z.string()).default([]),
    settlements: z
      .array(
        z.object({
          winner: z.string(),
          loser: z.string(),
          policy: z.string(),
          reason: z.string(),
          files: z.array(z.string()),
        }),
      )
      .default([]),
    decisions: z.array(StoredDecision).default([]),
    merged: z.array(z.string()).default([]),
    integrationHead: z.string().optional(),
    verify: z.object({ passed: z.boolean(), exitCode: z.number().nullable(), output: z.string() }).optional(),
    reason: z.string().optional(),
  }),
});
export type StoredGoal = z.infer<typeof StoredGoal>;
export type StoredDecision = z.infer<typeof StoredDecision>;

/** One task as the page draws it: the plan's node plus where it stands now. */
export interface TaskView {
  taskId: string;
  title: string;
  role: string;
  dependsOn: string[];
  /** The coordinator's status, or `merged` once its proposal is in the integration branch. */
  status: string;
  attempt: number;
  agentId?: string;
  reason?: string;
  dispatchedAt?: number;
  proposedAt?: number;
}

/** One goal as the dashboard shows it. */
export interface GoalView {
  goalId: string;
  text: string;
  repo: string;
  status: string;
  state: string;
  updatedAt: string;
  reason?: string;
  tokens: { input: number; output: number; total: number };
  tasks: TaskView[];
  decisions: StoredDecision[];
  settlements: StoredGoal["context"]["settlements"];
  merged: string[];
  verify?: { passed: boolean; exitCode: number | null; output: string };
}

async function readJson(bus: Bus, key: string): Promise<unknown> {
  const entry = await bus.kv.get(key);
  return entry && entry.operation === "PUT" ? JSON.parse(decoder.decode(entry.value)) : undefined;
}

/** Reads and checks one goal record from the `guild-state` bucket; undefined when there is none. */
export async function readStoredGoal(bus: Bus, goalId: string): Promise<StoredGoal | undefined> {
  const raw = await readJson(bus, `goal.${goalId}`);
  return raw === undefined ? undefined : StoredGoal.parse(raw);
}

/** Every goal id with a record in the `guild-state` bucket. */
export async function goalIds(bus: Bus): Promise<string[]> {
  const keys = await bus.kv.keys("goal.*");
  return keys.map((k) => k.slice("goal.".length));
}

async function claimedBy(bus: Bus, goalId: string, taskId: string): Promise<string | undefined> {
  const claim = (await readJson(bus, `claim.${goalId}.${taskId}`)) as { agentId?: unknown } | undefined;
  return typeof claim?.agentId === "string" ? claim.agentId : undefined;
}

/** A stored goal turned into what the page shows: tasks in plan order with their agent, tokens summed. */
export async function goalView(bus: Bus, goal: StoredGoal): Promise<GoalView> {
  const ctx = goal.context;
  const merged = new Set(ctx.merged);
  const order = ctx.order.length > 0 ? ctx.order : Object.keys(ctx.tasks);
  const tasks: TaskView[] = [];
  let input = 0;
  let output = 0;
  for (const taskId of order) {
    const task = ctx.tasks[taskId];
    if (!task) continue;
    input += task.proposal?.usage?.inputTokens ?? 0;
    output += task.proposal?.usage?.outputTokens ?? 0;
    const agentId = task.proposal?.agentId ?? (await claimedBy(bus, goal.goalId, taskId));
    tasks.push({
      taskId,
      title: task.spec.title,
      role: task.spec.role,
      dependsOn: task.spec.dependsOn,
      status: merged.has(taskId) ? "merged" : task.status,
      attempt: task.attempt,
      ...(agentId ? { agentId } : {}),
      ...(task.reason ? { reason: task.reason } : {}),
      ...(task.dispatchedAt !== undefined ? { dispatchedAt: task.dispatchedAt } : {}),
      ...(task.proposedAt !== undefined ? { proposedAt: task.proposedAt } : {}),
    });
  }
  // Agents add every finished task's tokens to the goal's budget key; it also counts attempts since replaced.
  const budget = Number((await readJson(bus, `budget.${goal.goalId}.tokens`)) ?? 0) || 0;
  return {
    goalId: goal.goalId,
    text: ctx.text,
    repo: ctx.repo,
    status: goal.status,
    state: goal.state,
    updatedAt: goal.updatedAt,
    ...(ctx.reason ? { reason: ctx.reason } : {}),
    tokens: { input, output, total: Math.max(budget, input + output) },
    tasks,
    decisions: ctx.decisions,
    settlements: ctx.settlements,
    merged: ctx.merged,
    ...(ctx.verify ? { verify: ctx.verify } : {}),
  };
}
