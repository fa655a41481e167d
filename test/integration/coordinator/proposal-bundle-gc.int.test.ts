import { describe, expect, it, vi } from "vitest";
import { cancelGoal } from "../../../src/cli/commands/cancel.js";
import { collectOutput } from "../../../src/cli/output.js";
import type { GoalRecord } from "../../../src/coordinator/goal/goal-store.js";
import { acceptedBundleKeys, publishedBundleKeys } from "../../helpers/proposal-bundles.js";
import {
  bundleGcGuild,
  eventsUntil,
  runGoal,
  story,
  submitWaitingApiGoal,
  task,
  withoutSharedObjects,
} from "./fixtures/bundle-gc.js";

// Agents in homes of their own, and a coordinator that offers no shared objects: every proposal travels
// as a bundle, as from an agent on another machine (fixtures/bundle-gc.ts).
const DELETED = "deleted the proposal bundles of a goal that ended";
const encoder = new TextEncoder();

withoutSharedObjects();

async function setup() {
  const t = await bundleGcGuild("guild-propgc-home-");
  return Object.assign(t, {
    keysOf: (goalId: string) => t.keys(`${goalId}.`),
    deleted: (goalId: string) => t.logged(DELETED, { goalId }).flatMap((l) => l.keys as string[]),
  });
}

/** A goal's record as a coordinator stores it, with only what the sweep reads filled in. */
function finalRecord(goalId: string): GoalRecord {
  return {
    goalId,
    state: "done",
    status: "done",
    context: { goalId, tasks: {} } as unknown as GoalRecord["context"],
    updatedAt: new Date().toISOString(),
    owner: "gone",
    snapshot: {},
    announced: true,
  };
}

describe("proposal bundles in the blob store", () => {
  it("are stored for review while the goal runs and deleted when it ends", async () => {
    await using t = await setup();
    await using _guild = await t.start({ roles: ["frontend"], home: t.home.path });
    const plan = [task("w1", "frontend", "web/one.txt"), task("w2", "frontend", "web/two.txt", ["w1"])];
    const result = await runGoal(t, "two web files", "g-web", plan);
    expect(result.status, story(result.events)).toBe("done");
    // Both proposals came as bundles, and review read each from the store and imported it.
    const published = publishedBundleKeys(result.events).sort();
    expect(published).toHaveLength(2);
    expect(acceptedBundleKeys(result.events).sort()).toEqual(published);
    // The goal's end deleted exactly those: they were still there when it ended, and are gone now.
    await vi.waitFor(() => expect(t.deleted("g-web")).toHaveLength(2), { timeout: 20_000 });
    expect(t.deleted("g-web").sort()).toEqual(published);
    expect(await t.keysOf("g-web")).toEqual([]);
    // Before that, the end removed the refs review imported them under, and the task branches.
    expect(t.repo.git("for-each-ref", "--format=%(refname)", "refs/guild/proposals/")).toBe("");
    expect(t.repo.git("for-each-ref", "--format=%(refname)", "refs/heads/guild/g-web/")).toBe("");
  }, 120_000);

  it("are deleted when a goal ends cancelled, with its agent's proposal never reviewed", async () => {
    await using t = await setup();
    await using _guild = await t.start({ roles: [] });
    await submitWaitingApiGoal(t, "g-cancel");
    // As an agent elsewhere would have shipped it before the goal was cancelled.
    await t.bus.blobs.put("g-cancel.a1.1.backend-1", encoder.encode("bundle"));
    await eventsUntil(t.bus, "g-cancel", "task.dispatched", 20_000);
    expect(await cancelGoal(t.bus, "g-cancel", { reason: "not needed" }, collectOutput())).toBe(0);
    await vi.waitFor(() => expect(t.deleted("g-cancel")).toEqual(["g-cancel.a1.1.backend-1"]), {
      timeout: 20_000,
    });
    expect(await t.keysOf("g-cancel")).toEqual([]);
  }, 120_000);

  it("left by ended goals are swept by a coordinator that starts, but not an unfinished or unknown goal's", async () => {
    await using t = await setup();
    {
      // The first coordinator stops before the next starts.
      await using _first = await t.start({ roles: [] });
      await submitWaitingApiGoal(t, "g-waiting");
    }
    // A goal that ended while no coordinator could clean up after it, and one the store never knew.
    await t.bus.kv.put("goal.g-ended", encoder.encode(JSON.stringify(finalRecord("g-ended"))));
    const ended = ["g-ended.t1.1.frontend-1", "g-ended.t1.2.frontend-2"];
    const kept = ["g-waiting.a1.1.backend-1", "g-unknown.t1.1.frontend-1"];
    for (const key of [...ended, ...kept]) await t.bus.blobs.put(key, encoder.encode(key));
    await using second = await t.restartedCoordinator();
    expect(t.deleted("g-ended").sort()).toEqual(ended);
    expect(await t.keysOf("g-ended")).toEqual([]);
    for (const key of kept) expect(await second.bus.blobs.info(key)).not.toBeNull();
  }, 120_000);
});
