import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryBus } from "../../src/bus/index.js";
import { GoalStore } from "../../src/coordinator/goal/index.js";
import { type GuildEvent, type Proposal, proposalHasCommits } from "../../src/protocol/index.js";
import { acceptedBundleKeys, publishedBundleKeys } from "../helpers/proposal-bundles.js";
import { runDemoGoal } from "./goal-end-to-end.js";

/** The accepted proposals with commits, as the goal's final record holds them. */
async function acceptedProposals(bus: MemoryBus, events: GuildEvent[]): Promise<Proposal[]> {
  const goalId = events.find((e) => e.type === "goal.done")?.goalId ?? "";
  const store = new GoalStore(bus.kv, { owner: "test" });
  try {
    const tasks = Object.values((await store.read(goalId))?.record.context.tasks ?? {});
    return tasks.flatMap((t) =>
      t.status === "accepted" && t.proposal && proposalHasCommits(t.proposal) ? [t.proposal] : [],
    );
  } finally {
    store.close();
  }
}

/** How many of `keys` have a bundle in the blob store. */
async function bundlesStored(bus: MemoryBus, keys: string[]): Promise<number> {
  const stored = await Promise.all(keys.map((key) => bus.blobs.info(key)));
  return stored.filter((b) => b !== null).length;
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
      const accepted = await acceptedProposals(bus, events);
      expect(accepted.length).toBeGreaterThan(0);
      for (const p of accepted) expect([p.bundleKey, p.sharedObjects]).toEqual([null, true]);
    } finally {
      await bus.close();
    }
  }, 300_000);

  it("does the same with agents in their own mirrors: bases and proposals shipped as bundles, as on another machine", async () => {
    process.env.GUILD_SHARED_OBJECTS = "0";
    const bus = new MemoryBus();
    try {
      const { events } = await runDemoGoal(bus, { mirrored: true });
      // Every proposal with commits was stored as a bundle, and review read it from the store and imported it
      // (a missing bundle is rejected, never accepted)...
      const published = publishedBundleKeys(events);
      expect(published.length).toBeGreaterThan(0);
      const accepted = await acceptedProposals(bus, events);
      expect(accepted.length).toBeGreaterThan(0);
      for (const p of accepted) expect(acceptedBundleKeys(events)).toContain(p.bundleKey);
      const rejected = events.flatMap((e) => (e.type === "proposal.rejected" ? [e.payload.reason] : []));
      expect(rejected.filter((r) => r.includes("missing from the blob store"))).toEqual([]);
      // ...and the goal's end deleted them all.
      await vi.waitFor(async () => expect(await bundlesStored(bus, published)).toBe(0), { timeout: 20_000 });
    } finally {
      await bus.close();
    }
  }, 300_000);
});
