import { describe, expect, it } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { type GoalRecord, GoalStore } from "../../../src/coordinator/goal/goal-store.js";
import type { GoalContext } from "../../../src/coordinator/index.js";
import { isGuildError } from "../../../src/protocol/index.js";
import { startNats } from "../../helpers/nats.js";

function record(goalId: string, state: string): GoalRecord {
  const context = {
    goalId,
    text: "t",
    repo: "/r",
    baseRef: "HEAD",
    baseCommit: "0".repeat(40),
  } as GoalContext;
  return {
    goalId,
    state,
    status: "running",
    context,
    updatedAt: new Date().toISOString(),
    owner: "",
    snapshot: { value: state },
  };
}

describe("the goal store on a real KV bucket", () => {
  it("fences two coordinators: after one adopts a goal, the other's writes are refused and it lets go", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url, name: "store" });
    try {
      const lost: string[] = [];
      const a = new GoalStore(bus.kv, { owner: "coord-a", onLost: (goalId) => lost.push(goalId) });
      const b = new GoalStore(bus.kv, { owner: "coord-b" });
      a.save(record("g1", "planning"));
      a.save(record("g1", "running.dispatching"));
      await a.flush("g1");
      const stored = await b.read("g1");
      expect(stored?.record).toMatchObject({ owner: "coord-a", state: "running.dispatching" });

      // B takes the goal over with one compare-and-set; a second adoption from the same read loses.
      expect(await b.adopt(stored as NonNullable<typeof stored>)).toBe(true);
      expect(
        await new GoalStore(bus.kv, { owner: "coord-c" }).adopt(stored as NonNullable<typeof stored>),
      ).toBe(false);

      a.save(record("g1", "settling"));
      const error = await a.flush("g1").catch((e: unknown) => e);
      expect(isGuildError(error, "kv.conflict")).toBe(true);
      expect(lost).toEqual(["g1"]);
      b.save(record("g1", "merging"));
      await b.flush("g1");
      expect((await a.read("g1"))?.record).toMatchObject({ owner: "coord-b", state: "merging" });
      expect((await b.list()).map((s) => s.record.goalId)).toEqual(["g1"]);
    } finally {
      await bus.close();
    }
  });

  it("keeps a write that failed while NATS was down and stores it once the server is back", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url, name: "store" });
    try {
      const store = new GoalStore(bus.kv, { owner: "coord-a" });
      store.save(record("g2", "planning"));
      await store.flush("g2");
      await server.stop();
      store.save(record("g2", "running.reviewing"));
      const flushed = store.flush("g2");
      await server.restart();
      await flushed;
      expect((await store.read("g2"))?.record.state).toBe("running.reviewing");
    } finally {
      await bus.close();
    }
  }, 60_000);

  it("tells which goals stand on which base, and which ended", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url, name: "store" });
    try {
      const store = new GoalStore(bus.kv, { owner: "coord-a" });
      const onBase = (goalId: string, base: string, status: GoalRecord["status"]) => {
        const r = record(goalId, status === "running" ? "running.dispatching" : status);
        return { ...r, status, context: { ...r.context, baseCommit: base } };
      };
      store.save(onBase("g-a", "a".repeat(40), "running"));
      store.save(onBase("g-b", "b".repeat(40), "done"));
      store.save(onBase("g-c", "a".repeat(40), "cancelled"));
      for (const id of ["g-a", "g-b", "g-c"]) await store.flush(id);
      const byId = (list: Awaited<ReturnType<GoalStore["standing"]>>) =>
        Object.fromEntries(list.map((g) => [g.goalId, g]));
      const expected = {
        "g-a": { goalId: "g-a", final: false, baseCommit: "a".repeat(40) },
        "g-b": { goalId: "g-b", final: true },
        "g-c": { goalId: "g-c", final: true },
      };
      expect(byId(await store.standing())).toEqual(expected);
      // Read again from what was seen (the ended ones are not read twice), the answer is the same.
      expect(byId(await store.standing())).toEqual(expected);
      expect(byId(await new GoalStore(bus.kv, { owner: "coord-b" }).standing())).toEqual(expected);
    } finally {
      await bus.close();
    }
  });
});
