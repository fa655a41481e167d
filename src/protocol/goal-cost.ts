import type { BrainConfig, GuildConfig } from "./config.js";
import type { GuildEvent } from "./events/index.js";

/** What one role's agents spent on a goal: tokens, the model they ran, and its price when the table has one. */
export interface RoleCost {
  role: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** In the price table's currency; null when `prices` has no entry for the model. */
  cost: number | null;
}

/** A goal's cost, per role and in total (the total is null when any role that used tokens has no price). */
export interface GoalCost {
  roles: RoleCost[];
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
}

/** The name a role's brain is priced under: the LLM's model, else what runs (`cli:codex`, `offline`). */
export function modelOf(brain: BrainConfig | undefined): string {
  if (!brain) return "offline";
  switch (brain.kind) {
    case "openai":
    case "anthropic":
      return brain.model;
    case "cli":
      return `cli:${(brain.command[0] ?? "").split("/").pop()}`;
    default:
      return brain.kind;
  }
}

/**
 * Adds up every model turn of a goal (`agent.step` usage, all attempts and revisions) by the role of its
 * task, and prices it with `prices` (per million tokens) under the role's model.
 */
export function goalCost(
  events: readonly GuildEvent[],
  config: Pick<GuildConfig, "roles" | "prices">,
): GoalCost {
  const roleOf = new Map<string, string>();
  const spent = new Map<string, { inputTokens: number; outputTokens: number }>();
  for (const e of events) {
    if (e.type === "plan.created") for (const t of e.payload.tasks) roleOf.set(t.taskId, t.role);
    if (e.type !== "agent.step" || !e.payload.usage) continue;
    const role = roleOf.get(e.payload.taskId) ?? "unknown";
    const total = spent.get(role) ?? { inputTokens: 0, outputTokens: 0 };
    total.inputTokens += e.payload.usage.inputTokens;
    total.outputTokens += e.payload.usage.outputTokens;
    spent.set(role, total);
  }
  const roles = [...spent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([role, usage]): RoleCost => {
      const model = modelOf(config.roles[role]?.brain);
      const price = config.prices[model];
      const cost = price
        ? (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000
        : null;
      return { role, model, ...usage, cost };
    });
  const sum = (pick: (r: RoleCost) => number) => roles.reduce((n, r) => n + pick(r), 0);
  const priced = roles.every((r) => r.cost !== null || r.inputTokens + r.outputTokens === 0);
  return {
    roles,
    inputTokens: sum((r) => r.inputTokens),
    outputTokens: sum((r) => r.outputTokens),
    cost: priced ? sum((r) => r.cost ?? 0) : null,
  };
}

/** One line per role and a total, for a terminal or a pull request. */
export function formatGoalCost(cost: GoalCost): string[] {
  const money = (n: number | null) => (n === null ? "no price" : n.toFixed(4));
  const lines = cost.roles.map(
    (r) => `${r.role} (${r.model}): ${r.inputTokens} in, ${r.outputTokens} out, ${money(r.cost)}`,
  );
  lines.push(`total: ${cost.inputTokens} in, ${cost.outputTokens} out, ${money(cost.cost)}`);
  return lines;
}
