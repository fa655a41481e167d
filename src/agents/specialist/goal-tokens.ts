import type { KeyValue } from "../../bus/index.js";
import { isGuildError } from "../../protocol/index.js";
import { createTokenMeter, type TokenMeter } from "../brains/index.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function key(goalId: string): string {
  return `budget.${goalId}.tokens`;
}

/** Tokens the goal's finished tasks have spent, as recorded by every agent (any process). */
export async function goalTokensUsed(kv: KeyValue, goalId: string): Promise<number> {
  const entry = await kv.get(key(goalId));
  return entry && entry.operation === "PUT" ? Number(decoder.decode(entry.value)) || 0 : 0;
}

/** Adds a task's tokens to the goal's total with compare-and-set, so agents in parallel never lose a count. */
export async function addGoalTokens(kv: KeyValue, goalId: string, tokens: number): Promise<number> {
  if (tokens <= 0) return goalTokensUsed(kv, goalId);
  for (let attempt = 0; attempt < 20; attempt++) {
    const entry = await kv.get(key(goalId));
    const used = entry && entry.operation === "PUT" ? Number(decoder.decode(entry.value)) || 0 : 0;
    const next = encoder.encode(String(used + tokens));
    try {
      if (entry && entry.operation === "PUT") await kv.update(key(goalId), next, entry.revision);
      else await kv.create(key(goalId), next);
      return used + tokens;
    } catch (error) {
      if (!isGuildError(error, "kv.conflict")) throw error;
    }
  }
  throw new Error(`could not record ${tokens} tokens for goal ${goalId}: too much contention`);
}

/** A task's view of the goal's token budget: the goal's spend so far, plus what this task spends. */
export async function goalMeter(
  kv: KeyValue,
  goalId: string,
  limit: number | undefined,
): Promise<TokenMeter> {
  const meter = createTokenMeter(limit);
  meter.add(await goalTokensUsed(kv, goalId));
  return meter;
}
