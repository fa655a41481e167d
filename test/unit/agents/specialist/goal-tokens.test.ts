import { describe, expect, it } from "vitest";
import { addGoalTokens, goalMeter, goalTokensUsed } from "../../../../src/agents/specialist/goal-tokens.js";
import { MemoryBus } from "../../../../src/bus/index.js";

describe("a goal's token budget across agents", () => {
  it("sums every agent's tokens without losing a count when they finish at the same time", async () => {
    const bus = new MemoryBus();
    try {
      const roles = ["docs", "web"];
      expect(await goalTokensUsed(bus.kv, "g1", roles)).toBe(0);
      await Promise.all(Array.from({ length: 20 }, (_, i) => addGoalTokens(bus.kv, "g1", "docs", i + 1)));
      await addGoalTokens(bus.kv, "g1", "web", 5);
      expect(await goalTokensUsed(bus.kv, "g1", roles)).toBe(215);
      expect(await goalTokensUsed(bus.kv, "g1", ["docs"])).toBe(210);
      expect(await goalTokensUsed(bus.kv, "g2", roles)).toBe(0);
    } finally {
      await bus.close();
    }
  });

  it("starts a task's meter at what the goal has spent, against the goal's limit", async () => {
    const bus = new MemoryBus();
    try {
      await addGoalTokens(bus.kv, "g1", "docs", 900);
      const meter = await goalMeter(bus.kv, "g1", ["docs", "web"], 1000);
      expect(meter.used).toBe(900);
      expect(meter.limit).toBe(1000);
      meter.add(150);
      expect(meter.used).toBeGreaterThan(meter.limit ?? Number.POSITIVE_INFINITY);
      const unlimited = await goalMeter(bus.kv, "g1", ["docs"], undefined);
      expect(unlimited.limit).toBeUndefined();
    } finally {
      await bus.close();
    }
  });
});
