import { describe, expect, it } from "vitest";
import { createEventEmitter, MemoryBus } from "../../../../src/bus/index.js";
import { GoalScheduler, readSchedules, runGoalId } from "../../../../src/coordinator/schedule/index.js";
import {
  createLogger,
  type GuildEvent,
  type ScheduleConfig,
  SimulatedClock,
} from "../../../../src/protocol/index.js";

const WEEKLY: ScheduleConfig = { id: "weekly", cron: "0 3 * * 1", goal: "update dependencies", base: "main" };
const MON_0200 = Date.parse("2026-12-07T02:00:00Z"); // a Monday
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

/** A scheduler on a shared memory KV and a simulated clock, recording the goals it starts. */
function scheduler(
  bus: MemoryBus,
  clock: SimulatedClock,
  started: string[],
  configs = [WEEKLY],
  goalExists = async (goalId: string) => started.includes(goalId),
) {
  return new GoalScheduler(configs, {
    kv: bus.kv,
    events: createEventEmitter(bus, "coordinator"),
    clock,
    logger: createLogger({ level: "silent" }),
    async startGoal(goal) {
      expect(goal).toMatchObject({ text: "update dependencies", baseRef: "main" });
      started.push(goal.goalId);
    },
    goalExists,
  });
}

async function advance(clock: SimulatedClock, s: GoalScheduler, ms: number) {
  clock.advance(ms);
  await s.settled();
  await s.settled();
}

const fired = async (bus: MemoryBus) =>
  (await bus.events.read({})).filter(
    (e): e is Extract<GuildEvent, { type: "schedule.fired" }> => e.type === "schedule.fired",
  );

describe("scheduled goals", () => {
  it("starts a run at its time, once, and nothing before the schedule was first seen", async () => {
    const bus = new MemoryBus();
    const clock = new SimulatedClock(MON_0200);
    const started: string[] = [];
    const s = scheduler(bus, clock, started);
    await s.start();
    expect(started).toEqual([]); // last Monday's 03:00 was before the schedule existed
    await advance(clock, s, HOUR - 1);
    expect(started).toEqual([]);
    await advance(clock, s, 1);
    const slot = Date.parse("2026-12-07T03:00:00Z");
    expect(started).toEqual([runGoalId("weekly", slot)]);
    await advance(clock, s, 6 * 24 * HOUR);
    expect(started).toHaveLength(1);
    await advance(clock, s, 24 * HOUR);
    expect(started).toEqual([runGoalId("weekly", slot), runGoalId("weekly", slot + WEEK)]);
    const events = await fired(bus);
    expect(events.map((e) => [e.goalId, e.payload.slot, e.payload.late])).toEqual([
      [started[0], "2026-12-07T03:00:00.000Z", false],
      [started[1], "2026-12-14T03:00:00.000Z", false],
    ]);
    await s.stop();
  });

  it("never starts a run twice across a restart, and starts runs missed while down once, as late", async () => {
    const bus = new MemoryBus();
    const clock = new SimulatedClock(MON_0200);
    const started: string[] = [];
    const first = scheduler(bus, clock, started);
    await first.start();
    await advance(clock, first, HOUR);
    expect(started).toHaveLength(1);
    await first.stop();
    // Restarted in the same minute: the run is recorded, nothing starts again.
    const second = scheduler(bus, clock, started);
    await second.start();
    expect(started).toHaveLength(1);
    await second.stop();
    // Down for three weeks: three runs missed, one starts, for the latest.
    clock.advance(3 * WEEK + HOUR);
    const third = scheduler(bus, clock, started);
    await third.start();
    expect(started).toHaveLength(2);
    expect(started[1]).toBe(runGoalId("weekly", Date.parse("2026-12-28T03:00:00Z")));
    expect((await fired(bus)).at(-1)?.payload.late).toBe(true);
    const [record] = await readSchedules(bus.kv);
    expect(record).toMatchObject({ id: "weekly", lastSlot: "2026-12-28T03:00:00.000Z", started: true });
    await third.stop();
  });

  it("two coordinators at the same time start a run once", async () => {
    const bus = new MemoryBus();
    const clock = new SimulatedClock(MON_0200);
    const started: string[] = [];
    // Neither sees the other's goals: only the claim in the KV bucket keeps the run single.
    const a = scheduler(bus, clock, started, [WEEKLY], async () => false);
    const b = scheduler(bus, clock, started, [WEEKLY], async () => false);
    await Promise.all([a.start(), b.start()]);
    clock.advance(HOUR);
    await Promise.all([a.settled(), b.settled()]);
    await Promise.all([a.settled(), b.settled()]);
    expect(started).toHaveLength(1);
    await Promise.all([a.stop(), b.stop()]);
  });

  it("a run whose goal did not start (the coordinator died after claiming it) starts on the next tick", async () => {
    const bus = new MemoryBus();
    const clock = new SimulatedClock(MON_0200);
    const started: string[] = [];
    let fail = true;
    const s = new GoalScheduler([WEEKLY], {
      kv: bus.kv,
      events: createEventEmitter(bus, "coordinator"),
      clock,
      logger: createLogger({ level: "silent" }),
      async startGoal(goal) {
        if (fail) throw new Error("coordinator busy");
        started.push(goal.goalId);
      },
      goalExists: async (goalId) => started.includes(goalId),
    });
    await s.start();
    await advance(clock, s, HOUR);
    expect(started).toEqual([]);
    const failed = (await bus.events.read({})).find((e) => e.type === "schedule.failed");
    expect(failed?.payload).toMatchObject({ scheduleId: "weekly", reason: "coordinator busy" });
    fail = false;
    await s.tick();
    expect(started).toEqual([runGoalId("weekly", Date.parse("2026-12-07T03:00:00Z"))]);
    await s.stop();
  });

  it("a bad cron expression is a schedule.failed event; the other schedules still run", async () => {
    const bus = new MemoryBus();
    const clock = new SimulatedClock(MON_0200);
    const started: string[] = [];
    const s = scheduler(bus, clock, started, [{ ...WEEKLY, id: "bad", cron: "every monday" }, WEEKLY]);
    await s.start();
    const failed = (await bus.events.read({})).find((e) => e.type === "schedule.failed");
    expect(failed?.payload).toMatchObject({
      scheduleId: "bad",
      reason: expect.stringMatching(/every monday/),
    });
    await advance(clock, s, HOUR);
    expect(started).toHaveLength(1);
    await s.stop();
  });
});
