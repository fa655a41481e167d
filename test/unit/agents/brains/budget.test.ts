import { describe, expect, it } from "vitest";
import {
  BudgetTracker,
  budgetBreachOf,
  budgetExceeded,
  createTokenMeter,
  estimateCost,
} from "../../../../src/agents/brains/index.js";
import { Budget, GuildError } from "../../../../src/protocol/index.js";

describe("budgets", () => {
  it("reports the first limit reached", () => {
    let now = 0;
    const meter = createTokenMeter(1000);
    const tracker = new BudgetTracker(
      Budget.parse({ maxSteps: 3, maxTokens: 500, maxWallMs: 100 }),
      () => now,
      meter,
    );
    expect(tracker.breach()).toBeUndefined();
    tracker.record({ inputTokens: 200, outputTokens: 100 });
    expect(meter.used).toBe(300);
    now = 100;
    expect(tracker.breach()).toEqual({ budget: "wall_ms", limit: 100, used: 100 });
    tracker.record({ inputTokens: 200, outputTokens: 0 });
    expect(tracker.breach()).toEqual({ budget: "tokens", limit: 500, used: 500 });
    tracker.record(undefined);
    expect(tracker.breach()).toEqual({ budget: "steps", limit: 3, used: 3 });
  });

  it("trips on the goal meter shared with other tasks", () => {
    const meter = createTokenMeter(100);
    const tracker = new BudgetTracker(Budget.parse({}), () => 0, meter);
    meter.add(150);
    expect(tracker.breach()).toEqual({ budget: "goal_tokens", limit: 100, used: 150 });
    expect(createTokenMeter().limit).toBeUndefined();
  });

  it("round-trips a breach through the error and its JSON form", () => {
    const error = budgetExceeded({ budget: "steps", limit: 40, used: 40 });
    expect(budgetBreachOf(GuildError.fromJSON(error.toJSON()))).toEqual({
      budget: "steps",
      limit: 40,
      used: 40,
    });
    expect(budgetBreachOf(new GuildError("brain.failed", "x"))).toBeUndefined();
  });

  it("estimates cost from a per-million price table", () => {
    const prices = { "gpt-x": { input: 2, output: 8 } };
    expect(estimateCost({ inputTokens: 1_000_000, outputTokens: 500_000 }, "gpt-x", prices)).toBe(6);
    expect(estimateCost({ inputTokens: 1, outputTokens: 1 }, "unknown", prices)).toBeUndefined();
  });
});
