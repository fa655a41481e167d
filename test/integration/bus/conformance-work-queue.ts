import { expect, it, vi } from "vitest";
import type { Bus } from "../../../src/bus/index.js";
import { Envelope, makeEnvelope, subjects, TaskAssignment } from "../../../src/protocol/index.js";
import { sleep, task, unique } from "./conformance-fixtures.js";

/** Work-queue semantics: one at a time, ack deadline, nak delay, in-progress, dedup, poison items. */
export function workQueueConformance(bus: () => Bus): void {
  const open = (role: string, ackWaitMs = 1000) =>
    bus().consumer("tasks", {
      durable: `tasks-${role}`,
      subject: subjects.task(role),
      schema: TaskAssignment,
      ackWaitMs,
      maxDeliver: 5,
    });

  it("redelivers an unacked item after ackWait, with a higher delivery count", async () => {
    const role = unique("r");
    const consumer = await open(role);
    await bus().enqueue("tasks", subjects.task(role), task("t1", role));
    const first = await consumer.next({ expiresMs: 3000 });
    expect(first?.data.payload.task.taskId).toBe("t1");
    expect(first?.deliveryCount).toBe(1);
    const again = await consumer.next({ expiresMs: 5000 });
    expect(again?.data.payload.task.taskId).toBe("t1");
    expect(again?.deliveryCount).toBe(2);
    await again?.ack();
    expect(await consumer.next({ expiresMs: 1500 })).toBeNull();
  });

  it("holds a nak'ed item back for its delay, then delivers it again", async () => {
    const role = unique("r");
    const consumer = await open(role, 10_000);
    await bus().enqueue("tasks", subjects.task(role), task("t1", role));
    const first = await consumer.next({ expiresMs: 3000 });
    await first?.nak(2500);
    expect(await consumer.next({ expiresMs: 1000 })).toBeNull();
    const again = await consumer.next({ expiresMs: 5000 });
    expect(again?.data.payload.task.taskId).toBe("t1");
    expect(again?.deliveryCount).toBe(2);
    await again?.ack();
  });

  it("keeps an item claimed while its worker calls working(), past several ackWaits", async () => {
    const role = unique("r");
    const worker = await open(role, 1000);
    const rival = await open(role, 1000);
    await bus().enqueue("tasks", subjects.task(role), task("t1", role));
    const claimed = await worker.next({ expiresMs: 3000 });
    expect(claimed).not.toBeNull();
    const rivalGot = rival.next({ expiresMs: 2500 });
    for (let i = 0; i < 7; i++) {
      await sleep(400);
      await claimed?.working();
    }
    expect(await rivalGot).toBeNull();
    await claimed?.ack();
    expect(await rival.next({ expiresMs: 1500 })).toBeNull();
  });

  it("shares one durable between workers, each item to one of them, one item per next()", async () => {
    const role = unique("r");
    const a = await open(role, 10_000);
    const b = await open(role, 10_000);
    for (let i = 0; i < 4; i++) await bus().enqueue("tasks", subjects.task(role), task(`t${i}`, role));
    const got = [
      await a.next({ expiresMs: 2000 }),
      await b.next({ expiresMs: 2000 }),
      await a.next({ expiresMs: 2000 }),
      await b.next({ expiresMs: 2000 }),
    ];
    expect(new Set(got.map((item) => item?.data.payload.task.taskId))).toEqual(
      new Set(["t0", "t1", "t2", "t3"]),
    );
    for (const item of got) await item?.ack();
    expect(await a.next({ expiresMs: 1000 })).toBeNull();
  });

  it("drops a second enqueue with the same msgId and reports it as duplicate", async () => {
    const goal = unique("g");
    const subject = subjects.proposal(goal);
    const message = makeEnvelope({ type: "proposal.note", source: "agent1", payload: { x: 1 } });
    expect(await bus().enqueue("proposals", subject, message, { msgId: `${goal}-t1-1` })).toEqual({
      duplicate: false,
    });
    expect(await bus().enqueue("proposals", subject, message, { msgId: `${goal}-t1-1` })).toEqual({
      duplicate: true,
    });
    const consumer = await bus().consumer("proposals", {
      durable: `proposals-${goal}`,
      subject,
      schema: Envelope,
    });
    const only = await consumer.next({ expiresMs: 2000 });
    expect(only?.data.id).toBe(message.id);
    await only?.ack();
    expect(await consumer.next({ expiresMs: 1000 })).toBeNull();
  });

  it("rejects and terminates an invalid work item, then hands out the next valid one", async () => {
    const role = unique("r");
    const rejected: string[] = [];
    bus().onRejected((r) => rejected.push(r.subject));
    const consumer = await open(role, 1000);
    const broken = { ...task("bad", role), payload: { nope: true } };
    await bus().enqueue("tasks", subjects.task(role), broken);
    await bus().enqueue("tasks", subjects.task(role), task("good", role));
    const item = await consumer.next({ expiresMs: 3000 });
    expect(item?.data.payload.task.taskId).toBe("good");
    await item?.ack();
    expect(rejected).toEqual([subjects.task(role)]);
    // Terminated, so not redelivered after ackWait.
    expect(await consumer.next({ expiresMs: 2000 })).toBeNull();
    await vi.waitFor(async () => {
      const events = await bus().events.read({ subject: "guild.evt._.bus.bus.message.rejected" });
      expect(events.map((e) => e.payload)).toContainEqual(
        expect.objectContaining({ subject: subjects.task(role) }),
      );
    });
  });
}
