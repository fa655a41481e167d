import { describe, expect, it } from "vitest";
import { MemoryBus } from "../../../src/bus/index.js";
import { Envelope, makeEnvelope, SimulatedClock } from "../../../src/protocol/index.js";

const msg = (n: number) => makeEnvelope({ type: "test.task", source: "s", payload: { n } });

async function setup(ackWaitMs = 1000, maxDeliver = 3) {
  const clock = new SimulatedClock(1_000_000);
  const bus = new MemoryBus({ clock });
  const consumer = await bus.consumer("tasks", {
    durable: "tasks-x",
    subject: "guild.task.x",
    schema: Envelope,
    ackWaitMs,
    maxDeliver,
  });
  // `expiresMs: 0` asks for what is there now, so no simulated time passes inside next().
  const now = () => consumer.next({ expiresMs: 0 });
  return { clock, bus, consumer, now };
}

describe("MemoryBus work queue on a simulated clock", () => {
  it("redelivers only once the ack deadline passes, and stops after maxDeliver", async () => {
    const { clock, bus, now } = await setup(1000, 2);
    await bus.enqueue("tasks", "guild.task.x", msg(1));
    expect((await now())?.deliveryCount).toBe(1);
    clock.advance(999);
    expect(await now()).toBeNull();
    clock.advance(1);
    expect((await now())?.deliveryCount).toBe(2);
    clock.advance(1000);
    expect(await now()).toBeNull();
  });

  it("extends the deadline on working() and ignores a late ack from a superseded delivery", async () => {
    const { clock, bus, now } = await setup(1000, 5);
    await bus.enqueue("tasks", "guild.task.x", msg(1));
    const first = await now();
    clock.advance(800);
    await first?.working();
    clock.advance(800);
    expect(await now()).toBeNull();
    clock.advance(200);
    const second = await now();
    expect(second?.deliveryCount).toBe(2);
    await first?.ack();
    clock.advance(1000);
    expect((await now())?.deliveryCount).toBe(3);
  });

  it("holds a nak'ed item for exactly its delay", async () => {
    const { clock, bus, now } = await setup(60_000);
    await bus.enqueue("tasks", "guild.task.x", msg(1));
    await (await now())?.nak(5000);
    clock.advance(4999);
    expect(await now()).toBeNull();
    clock.advance(1);
    expect((await now())?.deliveryCount).toBe(2);
  });

  it("wakes a waiting next() when an item arrives, and times out on the clock", async () => {
    const { clock, bus, consumer } = await setup();
    const waiting = consumer.next({ expiresMs: 10_000 });
    await bus.enqueue("tasks", "guild.task.x", msg(7));
    const item = await waiting;
    expect(item?.data.payload).toEqual({ n: 7 });
    await item?.ack();
    const empty = consumer.next({ expiresMs: 10_000 });
    await Promise.resolve();
    clock.advance(10_000);
    expect(await empty).toBeNull();
  });

  it("forgets a msgId after the duplicate window", async () => {
    const { clock, bus } = await setup();
    expect(await bus.enqueue("tasks", "guild.task.x", msg(1), { msgId: "m" })).toEqual({ duplicate: false });
    expect(await bus.enqueue("tasks", "guild.task.x", msg(1), { msgId: "m" })).toEqual({ duplicate: true });
    clock.advance(2 * 60_000 + 1);
    expect(await bus.enqueue("tasks", "guild.task.x", msg(1), { msgId: "m" })).toEqual({ duplicate: false });
  });

  it("refuses a subject outside the queue's stream", async () => {
    const { bus } = await setup();
    await expect(bus.enqueue("tasks", "guild.proposal.g1", msg(1))).rejects.toMatchObject({
      code: "bus.invalid_message",
    });
  });
});
