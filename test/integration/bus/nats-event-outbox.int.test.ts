import { jetstreamManager } from "@nats-io/jetstream";
import { describe, expect, it, vi } from "vitest";
import { createEventEmitter, NatsBus, writeIdentities } from "../../../src/bus/index.js";
import { DUPLICATE_WINDOW_MS } from "../../../src/bus/nats/provision.js";
import { type GuildEvent, stores, subjects } from "../../../src/protocol/index.js";
import { capturedLogger } from "../../helpers/log-lines.js";
import { startNats } from "../../helpers/nats.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { online, unique } from "./conformance-fixtures.js";

/** Emits `count` agent.online events one after another, as a caller awaiting each emit does. */
async function emitAll(bus: NatsBus, source: string, goal: string, from: number, count: number) {
  const emitter = createEventEmitter(bus, source);
  const emitted: (GuildEvent | undefined)[] = [];
  for (let i = from; i < from + count; i++) {
    emitted.push(
      await emitter.emit("agent.online", { agentId: `${source}-${i}`, role: "r", brain: "b" }, goal),
    );
  }
  return emitted;
}

const agentIds = (events: GuildEvent[]) =>
  events.flatMap((e) => (e.type === "agent.online" ? [e.payload.agentId] : []));

describe("events published while GUILD_EVENTS cannot take them (real nats-server)", () => {
  it("stores every event emitted while the server is down, once each and in order per publisher", async () => {
    await using server = await startNats();
    const p1 = await NatsBus.connect({ url: server.url, name: "p1" });
    const p2 = await NatsBus.connect({ url: server.url, name: "p2" });
    const goal = unique("g");
    try {
      await emitAll(p1, "p1", goal, 0, 3);
      await emitAll(p2, "p2", goal, 0, 3);
      await server.stop();
      // Emitted in the gap: each emit comes back with its event (queued), none is given up.
      const gap = await Promise.all([emitAll(p1, "p1", goal, 3, 10), emitAll(p2, "p2", goal, 3, 10)]);
      expect(gap.flat().filter((e) => e === undefined)).toEqual([]);
      expect(p1.events.outboxState().events).toBeGreaterThan(0);
      await server.restart();
      const after = await emitAll(p1, "p1", goal, 13, 2);
      expect(after.filter((e) => e === undefined)).toEqual([]);
      await vi.waitFor(
        () => expect(p1.events.outboxState().events + p2.events.outboxState().events).toBe(0),
        {
          timeout: 30_000,
          interval: 100,
        },
      );
      const stored = agentIds(await p1.events.read({ subject: subjects.eventsOfGoal(goal) }));
      const range = (source: string, n: number) => Array.from({ length: n }, (_, i) => `${source}-${i}`);
      // Once each, and each publisher's events in the order it emitted them.
      expect(stored.filter((a) => a.startsWith("p1-"))).toEqual(range("p1", 15));
      expect(stored.filter((a) => a.startsWith("p2-"))).toEqual(range("p2", 13));
      expect(p1.events.outboxState().dropped).toBe(0);
      expect(p1.events.outboxState().storedLate).toBeGreaterThanOrEqual(10);
    } finally {
      await p1.close();
      await p2.close();
    }
  });

  it("holds an append that asks to wait until its event is stored, through an outage, and an emit for at most its wait", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url });
    const goal = unique("g");
    try {
      await server.stop();
      // A plain append comes back at once, queued; one that waits for the store is held while the server is away.
      expect(await bus.events.append(online(goal, "plain"))).toBeUndefined();
      let held: number | undefined | "pending" = "pending";
      const holding = bus.events.append(online(goal, "held"), { untilStored: true }).then((seq) => {
        held = seq;
      });
      // An emit that must be on record gives up after its wait, and says so by returning nothing.
      const emitter = createEventEmitter(bus, "tester");
      const payload = { agentId: "emitted", role: "r", brain: "b" };
      expect(await emitter.emit("agent.online", payload, goal, { untilStoredMs: 300 })).toBeUndefined();
      await new Promise((r) => setTimeout(r, 1_000));
      expect(held).toBe("pending");
      await server.restart();
      await holding;
      expect(typeof held).toBe("number");
      const stored = agentIds(await bus.events.read({ subject: subjects.eventsOfGoal(goal) }));
      expect(stored).toEqual(["plain", "held", "emitted"]);
      // With the stream acknowledging, such an emit returns its event once stored.
      expect(await emitter.emit("agent.online", payload, goal, { untilStoredMs: 5_000 })).toBeDefined();
    } finally {
      await bus.close();
    }
  });

  it("stores an event appended twice once: its envelope id is the msgId within the stream's duplicate window", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url });
    try {
      const goal = unique("g");
      const event = online(goal, "twice");
      const first = await bus.events.append(event);
      expect(await bus.events.append(event)).toBe(first);
      expect(agentIds(await bus.events.read({ subject: subjects.eventsOfGoal(goal) }))).toEqual(["twice"]);
      const jsm = await jetstreamManager(bus.connection);
      const { config } = await jsm.streams.info(stores.events);
      expect(config.duplicate_window).toBe(DUPLICATE_WINDOW_MS * 1_000_000);
    } finally {
      await bus.close();
    }
  });

  it("keeps at most the capped count: the oldest is dropped with one error line each, the newest are stored", async () => {
    await using server = await startNats();
    const { logger, lines } = capturedLogger();
    const bus = await NatsBus.connect({
      url: server.url,
      logger,
      eventOutbox: { limits: { maxEvents: 3, maxBytes: 1024 * 1024 } },
    });
    try {
      const goal = unique("g");
      await server.stop();
      const sizes: number[] = [];
      const emitter = createEventEmitter(bus, "capped", logger);
      for (let i = 0; i < 10; i++) {
        await emitter.emit("agent.online", { agentId: `c-${i}`, role: "r", brain: "b" }, goal);
        sizes.push(bus.events.outboxState().events);
      }
      expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
      const drops = lines.filter(
        (l) => l.msg === "event outbox full: dropped the oldest unacknowledged event",
      );
      expect(drops.map((l) => l.dropped)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(bus.events.outboxState().dropped).toBe(7);
      await server.restart();
      await vi.waitFor(() => expect(bus.events.outboxState().events).toBe(0), {
        timeout: 30_000,
        interval: 100,
      });
      expect(agentIds(await bus.events.read({ subject: subjects.eventsOfGoal(goal) }))).toEqual([
        "c-7",
        "c-8",
        "c-9",
      ]);
    } finally {
      await bus.close();
    }
  });

  it("keeps the outbox under its byte cap", async () => {
    await using server = await startNats();
    const { logger, lines } = capturedLogger();
    const maxBytes = 2_000;
    const bus = await NatsBus.connect({
      url: server.url,
      logger,
      eventOutbox: { limits: { maxBytes }, flushMs: 200 },
    });
    try {
      await server.stop();
      const goal = unique("g");
      const emitter = createEventEmitter(bus, "bytes", logger);
      let most = 0;
      for (let i = 0; i < 40; i++) {
        await emitter.emit("agent.online", { agentId: `b-${i}`, role: "r".repeat(100), brain: "b" }, goal);
        most = Math.max(most, bus.events.outboxState().bytes);
      }
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(maxBytes);
      expect(bus.events.outboxState().dropped).toBeGreaterThan(20);
      expect(
        lines.filter((l) => l.msg === "event outbox full: dropped the oldest unacknowledged event"),
      ).toHaveLength(bus.events.outboxState().dropped);
    } finally {
      await bus.close();
    }
  });

  it("on close, stores what it can within the flush time and logs the count of what it could not", async () => {
    await using server = await startNats();
    const { logger, lines } = capturedLogger();
    const goal = unique("g");
    // The server comes back while close waits: the queued events are stored before the connection drains.
    const kept = await NatsBus.connect({ url: server.url, logger, eventOutbox: { flushMs: 30_000 } });
    await server.stop();
    await emitAll(kept, "kept", goal, 0, 4);
    const closing = kept.close();
    await server.restart();
    await closing;
    const reader = await NatsBus.connect({ url: server.url });
    expect(agentIds(await reader.events.read({ subject: subjects.eventsOfGoal(goal) }))).toEqual([
      "kept-0",
      "kept-1",
      "kept-2",
      "kept-3",
    ]);
    // The server stays away: close gives up after its flush time and says how many it lost.
    const lost = await NatsBus.connect({ url: server.url, logger, eventOutbox: { flushMs: 300 } });
    await server.stop();
    await emitAll(lost, "lost", goal, 0, 3);
    await lost.close();
    const unsent = lines.filter((l) => typeof l.msg === "string" && l.msg.includes("could not be stored"));
    expect(unsent.map((l) => l.unsent)).toEqual([3]);
    await server.restart();
    await reader.close();
  });

  it("does not retry an event the server refuses (permissions): it fails at once and the events behind it go on", async () => {
    using dir = tempDir();
    const written = writeIdentities(dir.path, { roles: ["docs"], replicas: 1 });
    await using server = await startNats({ configFile: written.config });
    const coordinator = await NatsBus.connect({
      url: server.url,
      creds: written.files.coordinator,
      manage: true,
    });
    const agent = await NatsBus.connect({
      url: server.url,
      creds: written.files["agent-docs"] ?? "",
      name: "docs-1",
    });
    try {
      const goal = unique("g");
      // docs-1 may publish events as itself only: one claiming another source is refused by the server.
      const forged = online(goal, "forged");
      const refused = await agent.events.append({ ...forged, source: "backend-1" }).then(
        () => "stored",
        (e: unknown) => String(e),
      );
      expect(refused).toContain("Permissions Violation");
      const own = await agent.events.append({ ...online(goal, "own"), source: "docs-1" });
      expect(own).toBeGreaterThan(0);
      expect(agent.events.outboxState().events).toBe(0);
      expect(agentIds(await coordinator.events.read({ subject: subjects.eventsOfGoal(goal) }))).toEqual([
        "own",
      ]);
    } finally {
      await agent.close();
      await coordinator.close();
    }
  });
});
