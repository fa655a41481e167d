import { connect } from "@nats-io/transport-node";
import { describe, expect, it, vi } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { GuildEvent, subjects, TaskAssignment } from "../../../src/protocol/index.js";
import { startNats } from "../../helpers/nats.js";
import { online, Ping, task, unique } from "./conformance-fixtures.js";

const text = (s: string) => new TextEncoder().encode(s);

describe("NatsBus on a real nats-server", () => {
  it("puts every event on guild.evt.> as plain JSON that any NATS client can read", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url });
    const raw = await connect({ servers: server.url });
    const seen: { subject: string; json: unknown }[] = [];
    const sub = raw.subscribe(subjects.eventsAll, {
      callback: (_err, m) => {
        seen.push({ subject: m.subject, json: JSON.parse(m.string()) });
      },
    });
    await raw.flush();
    const goal = unique("g");
    await bus.events.append(online(goal, "a1"));
    await bus.events.append(online(goal, "a2"));
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[0]?.subject).toBe(`guild.evt.${goal}.tester.agent.online`);
    expect(GuildEvent.parse(seen[1]?.json)).toMatchObject({ type: "agent.online", goalId: goal });
    sub.unsubscribe();
    await raw.close();
    await bus.close();
  });

  it("rejects a non-JSON message from a raw client without crashing the subscriber", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url });
    const raw = await connect({ servers: server.url });
    const subject = unique();
    const reasons: string[] = [];
    bus.onRejected((r) => reasons.push(r.reason));
    const got: number[] = [];
    await bus.subscribe(subject, Ping, (m) => void got.push(m.payload.n));
    await bus.connection.flush();
    raw.publish(subject, "{not json");
    raw.publish(subject, JSON.stringify({ hello: "world" }));
    raw.publish(
      subject,
      JSON.stringify({
        v: 1,
        id: "x",
        type: "test.ping",
        time: new Date().toISOString(),
        source: "raw",
        payload: { n: 7 },
      }),
    );
    await vi.waitFor(() => expect(got).toEqual([7]));
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/not JSON/);
    const events = await bus.events.read({ subject: "guild.evt._.bus.bus.message.rejected" });
    expect(events).toHaveLength(2);
    await raw.close();
    await bus.close();
  });

  it("survives a server restart mid-stream: reconnects, follows on, and keeps durable state", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url, name: "restart" });
    const goal = unique("g");
    const seen: string[] = [];
    const follow = await bus.events.follow({ subject: subjects.eventsOfGoal(goal) }, (e) => {
      if (e.type === "agent.online") seen.push(e.payload.agentId);
    });
    await bus.events.append(online(goal, "before"));
    await vi.waitFor(() => expect(seen).toEqual(["before"]));
    const consumer = await bus.consumer("tasks", {
      durable: "tasks-restart",
      subject: subjects.task("restart"),
      schema: TaskAssignment,
      ackWaitMs: 5000,
    });
    await bus.enqueue("tasks", subjects.task("restart"), task("t-before", "restart"));
    const rev = await bus.kv.create("goal.restart.snapshot", text("s1"));
    const idle = await bus.consumer("tasks", {
      durable: "tasks-idle",
      subject: subjects.task("idle"),
      schema: TaskAssignment,
    });
    const idlePull = idle.next({ expiresMs: 8000 });
    await new Promise((r) => setTimeout(r, 200));

    await server.restart();

    await vi.waitFor(() => expect(bus.connection.isClosed()).toBe(false));
    await vi.waitFor(async () => void (await bus.events.append(online(goal, "after"))), { timeout: 15_000 });
    await vi.waitFor(() => expect(seen).toContain("after"), { timeout: 15_000 });
    expect(seen[0]).toBe("before");
    const item = await consumer.next({ expiresMs: 10_000 });
    expect(item?.data.payload.task.taskId).toBe("t-before");
    await item?.ack();
    await bus.enqueue("tasks", subjects.task("idle"), task("t-idle", "idle"));
    expect((await idlePull)?.data.payload.task.taskId).toBe("t-idle");
    const restarts = await bus.events.read({ subject: "guild.evt._.bus.bus.consumer.restarted" });
    // The pull in flight across the restart failed, was recorded, and was issued again.
    expect(restarts.map((e) => e.payload)).toContainEqual(
      expect.objectContaining({ consumer: "tasks-idle" }),
    );
    expect((await bus.kv.get("goal.restart.snapshot"))?.revision).toBe(rev);
    expect(await bus.kv.update("goal.restart.snapshot", text("s2"), rev)).toBeGreaterThan(rev);
    await follow.unsubscribe();
    await bus.close();
  });

  it("keeps a follower that started from a time across a server restart, from exactly that time", async () => {
    // nats.js 3.4 recreates an ordered consumer with both a start time and a start sequence, which the
    // server refuses, as an unhandled rejection: the coordinator's task.failed follower crashed it.
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url, name: "restart-from-time" });
    const crashes: unknown[] = [];
    const onCrash = (e: unknown) => crashes.push(e);
    process.on("unhandledRejection", onCrash);
    try {
      const goal = unique("g");
      await bus.events.append(online(goal, "old"));
      await new Promise((r) => setTimeout(r, 20));
      const cut = new Date();
      await new Promise((r) => setTimeout(r, 20));
      await bus.events.append(online(goal, "new"));
      const seen: string[] = [];
      const follow = await bus.events.follow({ subject: subjects.eventsOfGoal(goal), fromTime: cut }, (e) => {
        if (e.type === "agent.online") seen.push(e.payload.agentId);
      });
      await vi.waitFor(() => expect(seen).toEqual(["new"]));
      await server.restart();
      await vi.waitFor(async () => void (await bus.events.append(online(goal, "after"))), {
        timeout: 15_000,
      });
      await vi.waitFor(() => expect(seen).toContain("after"), { timeout: 15_000 });
      expect(seen.filter((a) => a === "old")).toEqual([]);
      expect(crashes).toEqual([]);
      await follow.unsubscribe();
    } finally {
      process.off("unhandledRejection", onCrash);
      await bus.close();
    }
  });

  it("provisions idempotently: a second client on the same server finds the same streams and data", async () => {
    await using server = await startNats();
    const first = await NatsBus.connect({ url: server.url });
    await first.kv.put("presence.a", text("1"));
    const second = await NatsBus.connect({ url: server.url });
    expect((await second.kv.get("presence.a"))?.value).toEqual(text("1"));
    await first.close();
    await second.close();
  });
});
