import type { KeyValue } from "../../bus/index.js";
import { isGuildError } from "../../protocol/index.js";
import { createTokenMeter, type TokenMeter } from "../brains/index.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One role's share of a goal's tokens: per role, so under NATS permissions an agent writes only its own. */
function key(goalId: string, role: string): string {
  return `budget.${goalId}.${role}`;
}

async function roleTokens(kv: KeyValue, goalId: string, role: string): Promise<number> {
  const entry = await kv.get(key(goalId, role));
  return entry && entry.operation === "PUT" ? Number(decoder.decode(entry.value)) || 0 : 0;
}

/** Tokens the goal's finished tasks have spent, as recorded by the agents of `roles` (any process). */
export async function goalTokensUsed(
  kv: KeyValue,
  goalId: string,
  roles: readonly string[],
): Promise<number> {
  const shares = await Promise.all([...new Set(roles)].map((role) => roleTokens(kv, goalId, role)));
  return shares.reduce((sum, n) => sum + n, 0);
}

/** Adds a task's tokens to its role's share with compare-and-set, so agents in parallel never lose a count. */
export async function addGoalTokens(
  kv: KeyValue,
  goalId: string,
  role: string,
  tokens: number,
): Promise<number> {
  if (tokens <= 0) return roleTokens(kv, goalId, role);
  for (let attempt = 0; attempt < 20; attempt++) {
    const entry = await kv.get(key(goalId, role));
    const used = entry && entry.operation === "PUT" ? Number(decoder.decode(entry.value)) || 0 : 0;
    const next = encoder.encode(String(used + tokens));
    try {
      if (entry && entry.operation === "PUT") await kv.update(key(goalId, role), next, entry.revision);
      else await kv.create(key(goalId, role), next);
      return used + tokens;
    } catch (error) {
      if (!isGuildError(error, "kv.conflict")) throw error;
    }
  }
  throw new Error(`could not record ${tokens} tokens for goal ${goalId}: too much contention`);
}

/** A task's view of the goal's token budget: the spend of every role so far, plus what this task spends. */
export async function goalMeter(
  kv: KeyValue,
  goalId: string,
  roles: readonly string[],
  limit: number | undefined,
): Promise<TokenMeter> {
  const meter = createTokenMeter(limit);
  meter.add(await goalTokensUsed(kv, goalId, roles));
  return meter;
}
