import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { publishBaseBundles } from "../../../src/coordinator/goal/task-bases.js";
import { repoId } from "../../../src/git/index.js";
import type { TaskSpec } from "../../../src/protocol/index.js";
import { tempDir } from "../../helpers/temp-dir.js";
import {
  bundleGcGuild,
  eventsUntil,
  runGoal,
  story,
  submitWaitingApiGoal,
  task,
  withoutSharedObjects,
} from "./fixtures/bundle-gc.js";

// Agents in homes of their own, and a coordinator that offers no shared objects: every base travels as a
// bundle, as to an agent on another machine (fixtures/bundle-gc.ts). The sweep logs the goal whose end it
// follows as `ended`.
const DELETED = "deleted base bundles no unfinished goal stands on";
const KEPT = "base bundles kept: a goal still stands on this base";

// The second web task starts from the first's head: it needs the bundle of what lies after the base too.
const webChain = [task("w1", "frontend", "web/one.txt"), task("w2", "frontend", "web/two.txt", ["w1"])];

withoutSharedObjects();

async function setup() {
  const t = await bundleGcGuild("guild-gc-home-");
  return Object.assign(t, {
    baseKeys: () => t.keys("base."),
    fullKey: async () => `base.${await repoId(t.repo.path, t.repo.head())}.${t.repo.head()}`,
    /** Waits for the one sweep that followed `goalId`'s end, checks no base bundle is left, returns what it deleted. */
    async collected(goalId: string): Promise<string[]> {
      await vi.waitFor(() => expect(t.logged(DELETED, { ended: goalId })).toHaveLength(1), {
        timeout: 20_000,
      });
      expect(await t.keys("base.")).toEqual([]);
      return t.logged(DELETED, { ended: goalId })[0]?.keys as string[];
    },
  });
}

describe("base bundles in the blob store", () => {
  it("are deleted when the goal that published them ends, and published again for the next goal on that base", async () => {
    await using t = await setup();
    await using secondHome = tempDir("guild-gc-home-");
    await using _coordinator = await t.start({ roles: [] });
    const agents = (home: string) => t.start({ roles: ["frontend"], home, coordinator: false });
    let frontend = await agents(t.home.path);
    try {
      const result = await runGoal(t, "two web files", "g-one", webChain);
      expect(result.status, story(result.events)).toBe("done");
      // The agents worked in their mirror, so the bases did come as bundles: the full one and the one after w1.
      const ready = result.events.flatMap((e) => (e.type === "workspace.ready" ? [e.payload.dir] : []));
      expect(ready.length).toBe(2);
      for (const dir of ready) expect(dir.startsWith(join(t.home.path, "repos"))).toBe(true);
      const keys = await t.collected("g-one");
      const full = await t.fullKey();
      expect(keys).toContain(full);
      expect(keys.some((k) => k.startsWith(`${full}.`))).toBe(true);

      // The coordinator remembered storing the full bundle; it must not trust that once it deleted it. An
      // agent with an empty mirror needs it at the first attempt.
      await frontend.stop();
      frontend = await agents(secondHome.path);
      const next = await runGoal(t, "one more web file", "g-two", [task("w3", "frontend", "web/three.txt")]);
      expect(next.status, story(next.events)).toBe("done");
      expect(next.events.filter((e) => e.type === "task.failed")).toEqual([]);
      expect(await t.collected("g-two")).toEqual([full]);
    } finally {
      await frontend.stop();
    }
  }, 180_000);

  it("stay while another unfinished goal stands on the same base, and go when it ends", async () => {
    await using t = await setup();
    await using backendHome = tempDir("guild-gc-home-");
    await using _guild = await t.start({ roles: ["frontend"], home: t.home.path });
    // The API goal is dispatched first and waits: nobody serves backend yet.
    await submitWaitingApiGoal(t, "g-api");
    await vi.waitFor(async () => expect(await t.baseKeys()).toEqual([await t.fullKey()]), {
      timeout: 20_000,
    });
    const web = await runGoal(t, "two web files", "g-web", webChain);
    expect(web.status, story(web.events)).toBe("done");
    await vi.waitFor(() => expect(t.logged(KEPT, { ended: "g-web" })).toHaveLength(1), { timeout: 20_000 });
    expect(t.logged(KEPT, { ended: "g-web" })[0]?.user).toBe("g-api");
    expect(t.logged(DELETED)).toEqual([]);
    expect(await t.baseKeys()).toContain(await t.fullKey());

    // A backend agent with an empty mirror now needs the full bundle the web goal's end kept.
    await using _backend = await t.start({ roles: ["backend"], home: backendHome.path, coordinator: false });
    const events = await eventsUntil(t.bus, "g-api", "goal.done", 90_000);
    expect(events.filter((e) => e.type === "task.failed")).toEqual([]);
    await t.collected("g-api");
  }, 180_000);

  it("deleted behind the coordinator's back fail the task clearly, and its retry publishes them again", async () => {
    await using t = await setup();
    await using _guild = await t.start({ roles: ["frontend"], home: t.home.path });
    // This coordinator stored the full bundle and remembers it; another coordinator's sweep deletes it.
    const repository = await repoId(t.repo.path, t.repo.head());
    const goal = { goalId: "g-retry", repo: t.repo.path, repoId: repository, goalBase: t.repo.head() };
    await publishBaseBundles(t.bus, goal, t.repo.head());
    await t.bus.blobs.delete(await t.fullKey());
    const result = await runGoal(t, "one web file", "g-retry", [webChain[0] as TaskSpec]);
    const failed = result.events.flatMap((e) => (e.type === "task.failed" ? [e.payload] : []));
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toContain(`base bundle ${await t.fullKey()} is missing from the blob store`);
    expect(result.status, story(result.events)).toBe("done");
    await t.collected("g-retry");
  }, 120_000);

  it("left by goals no one collected are swept by a coordinator that starts, but not an unfinished goal's", async () => {
    await using t = await setup();
    const text = (s: string) => new TextEncoder().encode(s);
    // Left by goals that ended with no coordinator to collect them (their records are gone or final).
    const orphans = [
      `base.gone-0123456789abcdef.${"a".repeat(40)}`,
      `base.gone-0123456789abcdef.${"a".repeat(40)}.${"b".repeat(40)}`,
    ];
    for (const key of orphans) await t.bus.blobs.put(key, text(key));
    // A proposal's bundle is not a base bundle: the sweep leaves it.
    await t.bus.blobs.put("g-old.t1.1.frontend-1", text("proposal"));
    {
      // The first coordinator stops before the next starts.
      await using _first = await t.start({ roles: [] });
      await submitWaitingApiGoal(t, "g-waiting");
      await vi.waitFor(async () => expect(await t.baseKeys()).toContain(await t.fullKey()), {
        timeout: 20_000,
      });
    }
    await using second = await t.restartedCoordinator();
    const swept = t.logged(DELETED).flatMap((l) => l.keys as string[]);
    expect(swept.sort()).toEqual(orphans);
    expect(await t.baseKeys()).toEqual([await t.fullKey()]);
    expect(await second.bus.blobs.info("g-old.t1.1.frontend-1")).not.toBeNull();
  }, 120_000);
});
