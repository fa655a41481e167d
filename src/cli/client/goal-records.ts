import type { Bus } from "../../bus/index.js";

/** One goal as the coordinator persists it in the `guild-state` bucket (the fields readers use). */
export interface GoalRecord {
  goalId: string;
  state: string;
  status: string;
  updatedAt: string;
  context: {
    text: string;
    tasks: Record<string, { status: string; spec: { role: string } }>;
    reason?: string;
    decisions?: (PendingDecision & { resolution?: unknown })[];
  };
}

/** A decision waiting for a person: a protected path, or a conflict no policy settled. */
export interface PendingDecision {
  id: string;
  kind: string;
  taskIds: string[];
  paths: string[];
  reason: string;
  diff: string;
  createdAt: string;
}

const ENDED = new Set(["done", "failed", "cancelled"]);
const decoder = new TextDecoder();

/** Reads every goal the coordinator has persisted in the `guild-state` bucket, oldest change first. */
export async function readGoals(bus: Bus): Promise<GoalRecord[]> {
  const keys = await bus.kv.keys("goal.>");
  const records: GoalRecord[] = [];
  for (const key of keys) {
    const entry = await bus.kv.get(key);
    if (entry && entry.operation === "PUT")
      records.push(JSON.parse(decoder.decode(entry.value)) as GoalRecord);
  }
  return records.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
}

/** Every unresolved decision of the goals still running (or of one goal). */
export async function pendingDecisions(
  bus: Bus,
  goal?: string,
): Promise<(PendingDecision & { goalId: string })[]> {
  const pending: (PendingDecision & { goalId: string })[] = [];
  for (const record of await readGoals(bus)) {
    if (goal && record.goalId !== goal) continue;
    if (ENDED.has(record.status)) continue;
    const seen = new Set<string>();
    for (const d of record.context.decisions ?? [])
      if (!d.resolution && !seen.has(d.id)) {
        seen.add(d.id);
        const { resolution: _, ...decision } = d;
        pending.push({ ...decision, goalId: record.goalId });
      }
  }
  return pending;
}

/** One line of counts for a goal's tasks: how many there are and how many were accepted. */
export function taskCounts(record: GoalRecord): { tasks: number; accepted: number } {
  const tasks = Object.values(record.context.tasks);
  return { tasks: tasks.length, accepted: tasks.filter((t) => t.status === "accepted").length };
}
