import { describe, expect, it } from "vitest";
import { claimTask, goalHasEnded } from "../../../../src/agents/specialist/claim.js";
import { MemoryBus } from "../../../../src/bus/index.js";

describe("task claim fencing", () => {
  it("lets one worker hold (task, attempt); a redelivered copy takes over; stale attempts are refused", async () => {
    const bus = new MemoryBus();
    try {
      const kv = bus.kv;
      expect(await claimTask(kv, "web", "g1", "t1", 1, "a-1", false, 0)).toBe(true);
      // A second copy of the same attempt, first delivery: someone else holds it.
      expect(await claimTask(kv, "web", "g1", "t1", 1, "a-2", false, 0)).toBe(false);
      // Redelivered after the first worker died: the replica takes over.
      expect(await claimTask(kv, "web", "g1", "t1", 1, "a-2", true, 10)).toBe(true);
      // A newer attempt always wins; the old one can no longer claim.
      expect(await claimTask(kv, "web", "g1", "t1", 2, "a-1", false, 20)).toBe(true);
      expect(await claimTask(kv, "web", "g1", "t1", 1, "a-2", true, 30)).toBe(false);
    } finally {
      await bus.close();
    }
  });

  it("tells a queued task of an ended goal from one of a running goal", async () => {
    const bus = new MemoryBus();
    try {
      const put = (id: string, status: string) =>
        bus.kv.put(`goal.${id}`, new TextEncoder().encode(JSON.stringify({ goalId: id, status })));
      await put("g-run", "running");
      await put("g-cancel", "cancelled");
      await put("g-done", "done");
      await bus.kv.put("goal.g-bad", new TextEncoder().encode("{not json"));
      expect(await goalHasEnded(bus.kv, "g-run")).toBe(false);
      expect(await goalHasEnded(bus.kv, "g-cancel")).toBe(true);
      expect(await goalHasEnded(bus.kv, "g-done")).toBe(true);
      expect(await goalHasEnded(bus.kv, "g-bad")).toBe(false);
      expect(await goalHasEnded(bus.kv, "g-unknown")).toBe(false);
    } finally {
      await bus.close();
    }
  });
});
