import { afterEach, describe, expect, it } from "vitest";
import { MemoryBus } from "../../src/bus/index.js";
import type { GuildEvent } from "../../src/protocol/index.js";
import { runDemoGoal } from "./goal-end-to-end.js";

/** How many of the goal's published proposals have a bundle in the blob store. */
async function bundlesStored(bus: MemoryBus, events: GuildEvent[]): Promise<[number, number]> {
  const published = events.flatMap((e) =>
    e.type === "proposal.published" && e.payload.commits > 0
      ? [`${e.goalId}.${e.payload.proposalId.replace(/-(\d+)$/, ".$1")}.${e.source}`]
      : [],
  );
  const stored = await Promise.all(published.map((key) => bus.blobs.get(key)));
  return [stored.filter((b) => b !== null).length, published.length];
}

describe("one goal end to end on the memory bus", () => {
  afterEach(() => {
    delete process.env.GUILD_SHARED_OBJECTS;
  });

  it("five agents fix, test and document the demo app into a verified integration branch", async () => {
    const bus = new MemoryBus();
    try {
      const { events } = await runDemoGoal(bus);
      // The agents work in worktrees of the coordinator's repository: their commits need no bundle.
      const [stored, published] = await bundlesStored(bus, events);
      expect(published).toBeGreaterThan(0);
      expect(stored).toBe(0);
    } finally {
      await bus.close();
    }
  }, 300_000);

  it("does the same with agents in their own mirrors: bases and proposals shipped as bundles, as on another machine", async () => {
    process.env.GUILD_SHARED_OBJECTS = "0";
    const bus = new MemoryBus();
    try {
      const { events } = await runDemoGoal(bus, { mirrored: true });
      const [stored, published] = await bundlesStored(bus, events);
      expect(published).toBeGreaterThan(0);
      expect(stored).toBe(published);
    } finally {
      await bus.close();
    }
  }, 300_000);
});
