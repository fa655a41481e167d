import { type Budget, GuildError, isGuildError, type TokenUsage } from "../../protocol/index.js";

/** Which limit ran out: the task's steps, tokens or wall time, or the goal's shared tokens. */
export type BudgetKind = "steps" | "tokens" | "wall_ms" | "goal_tokens";

/** A budget breach; the payload of `task.budget_exceeded` without the task id. */
export interface BudgetBreach {
  budget: BudgetKind;
  limit: number;
  used: number;
}

/** Tokens spent by all tasks of one goal; the specialists of a goal share one meter. */
export interface TokenMeter {
  readonly limit: number | undefined;
  readonly used: number;
  add(tokens: number): void;
}

/** A goal-level token meter; `limit` undefined means unmetered. */
export function createTokenMeter(limit?: number): TokenMeter {
  let used = 0;
  return {
    limit,
    get used() {
      return used;
    },
    add(tokens) {
      used += tokens;
    },
  };
}

/** Counts a task's steps, tokens and time against its budget and the goal's meter. */
export class BudgetTracker {
  steps = 0;
  tokens = 0;
  private readonly started: number;

  constructor(
    private readonly budget: Budget,
    private readonly now: () => number = Date.now,
    private readonly meter?: TokenMeter,
  ) {
    this.started = now();
  }

  record(usage: TokenUsage | undefined): void {
    this.steps += 1;
    const tokens = (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0);
    this.tokens += tokens;
    this.meter?.add(tokens);
  }

  elapsedMs(): number {
    return this.now() - this.started;
  }

  remainingMs(): number {
    return Math.max(0, this.budget.maxWallMs - this.elapsedMs());
  }

  /** The first limit reached, if any; checked before each model call. */
  breach(): BudgetBreach | undefined {
    if (this.steps >= this.budget.maxSteps)
      return { budget: "steps", limit: this.budget.maxSteps, used: this.steps };
    if (this.tokens >= this.budget.maxTokens) {
      return { budget: "tokens", limit: this.budget.maxTokens, used: this.tokens };
    }
    const elapsed = this.elapsedMs();
    if (elapsed >= this.budget.maxWallMs)
      return { budget: "wall_ms", limit: this.budget.maxWallMs, used: elapsed };
    const meter = this.meter;
    if (meter?.limit !== undefined && meter.used >= meter.limit) {
      return { budget: "goal_tokens", limit: meter.limit, used: meter.used };
    }
    return undefined;
  }
}

/**
 * The error a brain throws after its final summary step when a budget ran out; the specialist
 * catches it, publishes `task.budget_exceeded` with {@link budgetBreachOf}, and proposes the work so far.
 */
export function budgetExceeded(breach: BudgetBreach): GuildError {
  return new GuildError(
    "budget.exceeded",
    `budget exceeded: ${breach.budget} ${breach.used}/${breach.limit}`,
    {
      details: { ...breach },
    },
  );
}

/** The breach carried by a `budget.exceeded` error, or undefined for any other error. */
export function budgetBreachOf(error: unknown): BudgetBreach | undefined {
  if (!isGuildError(error, "budget.exceeded") || !error.details) return undefined;
  const { budget, limit, used } = error.details;
  if (typeof budget !== "string" || typeof limit !== "number" || typeof used !== "number") return undefined;
  return { budget: budget as BudgetKind, limit, used };
}

/** Prices per million tokens, by model name (`GuildConfig.prices`). */
export type PriceTable = Record<string, { input: number; output: number }>;

/** The estimated cost of some usage in the price table's currency, or undefined if the model has no price. */
export function estimateCost(usage: TokenUsage, model: string, prices: PriceTable): number | undefined {
  const price = prices[model];
  if (!price) return undefined;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}
