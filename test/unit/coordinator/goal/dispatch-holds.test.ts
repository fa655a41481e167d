import { describe, expect, it } from "vitest";
import {
  expectedDuration,
  holdsAfter,
  nextHoldEnd,
  planDispatch,
  timedHolds,
} from "../../../../src/coordinator/goal/dispatch-holds.js";
import { HoldAlarm } from "../../../../src/coordinator/goal/hold-alarm.js";
import { SimulatedClock } from "../../../../src/protocol/index.js";
import { goalContext, type TaskRow } from "../../../helpers/goal-context.js";

const took = (ms: number, from = 0) => ({ dispatchedAt: from, proposedAt: from + ms });

describe("how long a task is expected to take", () => {
  it("is the median of the role's latest three received tasks, else of any role's, else unknown", () => {
    const ctx = goalContext([
      // The oldest receipt (a slow first task) no longer counts.
      ["b0", "backend", [], "accepted", { dispatchedAt: -8100, proposedAt: 900 }],
      ["b1", "backend", [], "accepted", took(1000)],
      ["b2", "backend", [], "proposed", took(3000)],
      ["b3", "backend", [], "accepted", took(2000, 500)],
      ["d1", "docs", [], "accepted", took(400)],
      ["d2", "docs", [], "accepted", took(600)],
      ["t1", "tests", [], "dispatched", { dispatchedAt: 0 }],
    ]);
    expect(expectedDuration(ctx, "backend")).toBe(2000);
    expect(expectedDuration(ctx, "docs")).toBe(500);
    // No tests task was received yet: the median of the latest three receipts (b2, b3, b1).
    expect(expectedDuration(ctx, "tests")).toBe(2000);
    expect(
      expectedDuration(goalContext([["t1", "tests", [], "dispatched", { dispatchedAt: 0 }]]), "tests"),
    ).toBe(undefined);
  });
});

describe("which tasks keep a slot while their dependency is still worked on", () => {
  // `up` (backend) and `done` (tests) were dispatched together; done took 1 s. `next` (tests) needs up.
  const rows = (upAt = 0, extra: TaskRow[] = []): TaskRow[] => [
    ["up", "backend", [], "dispatched", { dispatchedAt: upAt }],
    ["done", "tests", [], "proposed", took(1000)],
    ["next", "tests", ["up"]],
    ["solo", "tests", []],
    ...extra,
  ];
  const held = (ctx: ReturnType<typeof goalContext>, now: number) =>
    timedHolds(ctx, now).map((h) => [h.taskId, h.until]);

  it("holds within a tenth of the expected duration either side of the dependency's expected end", () => {
    const ctx = goalContext(rows(), { tests: 1 });
    expect(held(ctx, 899)).toEqual([]);
    expect(held(ctx, 900)).toEqual([["next", 1100]]);
    expect(held(ctx, 1000)).toEqual([["next", 1100]]);
    expect(held(ctx, 1099)).toEqual([["next", 1100]]);
    // Overran: the agent is not kept any longer.
    expect(held(ctx, 1100)).toEqual([]);
    expect(timedHolds(ctx, 1000)[0]?.reason).toBe("up expected to finish within 100 ms");
  });

  it("does not hold for a dependency started later, for a role without a window, or after a failure", () => {
    expect(held(goalContext(rows(600), { tests: 1 }), 1000)).toEqual([]);
    expect(held(goalContext(rows(), { backend: 1 }), 1000)).toEqual([]);
    const failed = goalContext(rows(), { tests: 1 });
    failed.tasks.up = { ...(failed.tasks.up as NonNullable<typeof failed.tasks.up>), status: "pending" };
    expect(held(failed, 1000)).toEqual([]);
  });

  it("needs every dependency being worked on to be about to finish, and ends with the last of them", () => {
    const two = (otherAt: number) =>
      goalContext(
        [
          ...rows(),
          ["other", "backend", [], "dispatched", { dispatchedAt: otherAt }],
          ["join", "tests", ["up", "other"]],
        ],
        { tests: 1 },
      );
    expect(held(two(50), 1000)).toContainEqual(["join", 1150]);
    expect(held(two(500), 1000).map(([id]) => id)).toEqual(["next"]);
  });

  it("records only the holds that keep a slot: a more critical ready task takes the agent first", () => {
    const ctx = goalContext(
      rows(0, [
        ["head", "tests", []],
        ["tail", "docs", ["head"]],
        ["tail2", "docs", ["tail"]],
      ]),
      { tests: 1 },
    );
    const plan = planDispatch(ctx, 1000);
    expect(plan.dispatch.map((t) => t.spec.taskId)).toEqual(["head"]);
    expect(plan.holds).toEqual({});
    // With two agents, the second is kept for `next` instead of going to `solo`.
    const two = planDispatch({ ...ctx, dispatchWindow: { tests: 2 } }, 1000);
    expect(two.dispatch.map((t) => t.spec.taskId)).toEqual(["head"]);
    expect(two.holds).toEqual({ next: 1100 });
    expect(two.held.map((h) => h.role)).toEqual(["tests"]);
  });
});

describe("the end of holds", () => {
  it("drops holds that ran out at a time and names the first end", () => {
    expect(holdsAfter({ a: 100, b: 200 }, 100)).toEqual({ b: 200 });
    expect(holdsAfter(undefined, 5)).toEqual({});
    const ctx = goalContext([]);
    expect(nextHoldEnd(ctx)).toBeUndefined();
    expect(nextHoldEnd({ ...ctx, holds: { a: 300, b: 200 } })).toBe(200);
  });

  it("rings once at the time last set, and not after being silenced", () => {
    const clock = new SimulatedClock(1000);
    const rang: number[] = [];
    const alarm = new HoldAlarm(clock, (at) => rang.push(at));
    alarm.set(1500);
    alarm.set(1200);
    clock.advance(199);
    expect(rang).toEqual([]);
    clock.advance(1);
    expect(rang).toEqual([1200]);
    // Setting a past time rings at once (a restored goal whose hold ended while it was down).
    alarm.set(900);
    clock.advance(0);
    expect(rang).toEqual([1200, 1200]);
    alarm.set(1300);
    alarm.set(undefined);
    clock.advance(500);
    expect(rang).toEqual([1200, 1200]);
  });
});
