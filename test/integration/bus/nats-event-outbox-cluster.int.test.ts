import { setTimeout as sleep } from "node:timers/promises";
import { jetstreamManager } from "@nats-io/jetstream";
import { describe, expect, it, vi } from "vitest";
import { createEventEmitter, NatsBus } from "../../../src/bus/index.js";
import { type GuildEvent, stores, subjects } from "../../../src/protocol/index.js";
import { startNatsCluster } from "../../helpers/nats-cluster.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { unique } from "./conformance-fixtures.js";

/** Emits agent.online events `<source>-0`, `<source>-1`, … one after another until told to stop. */
function publisher(bus: NatsBus, source: string, goal: string) {
  const emitter = createEventEmitter(bus, source);
  let stopped = false;
  let count = 0;
  let givenUp = 0;
  const running = (async () => {
    while (!stopped) {
      const event = await emitter.emit(
        "agent.online",
        { agentId: `${source}-${count}`, role: "r", brain: "b" },
        goal,
      );
      if (event === undefined) givenUp++;
      count++;
      await sleep(20);
    }
  })();
  return {
    get count() {
      return count;
    },
    async stop() {
      stopped = true;
      await running;
      return { count, givenUp };
    },
  };
}

describe("events published while the GUILD_EVENTS leader is killed (three-node cluster)", () => {
  it("stores every event emitted across the election, once each and in order per publisher", async () => {
    await using dir = tempDir("guild-evretry-");
    await using cluster = await startNatsCluster(dir.path);
    const goal = unique("g");
    const a = await NatsBus.connect({ url: cluster.nodes[0]?.url as string, replicas: 3, name: "a" });
    const b = await NatsBus.connect({ url: cluster.url, replicas: 3, name: "b" });
    try {
      const jsm = await jetstreamManager(a.connection);
      const leaderOf = async () => (await jsm.streams.info(stores.events)).cluster?.leader;
      const old = await leaderOf();
      const pa = publisher(a, "a", goal);
      const pb = publisher(b, "b", goal);
      await vi.waitFor(() => expect(pa.count).toBeGreaterThan(10), { timeout: 10_000 });
      // A publisher on the killed node reconnects elsewhere; one elsewhere finds no leader until the election.
      const victim = cluster.node(old as string);
      await victim.server.stop("SIGKILL");
      await vi.waitFor(
        async () => {
          const leader = await leaderOf().catch(() => undefined);
          expect(leader && leader !== old).toBeTruthy();
        },
        { timeout: 30_000, interval: 250 },
      );
      const atElection = pa.count;
      await vi.waitFor(() => expect(pa.count).toBeGreaterThan(atElection + 10), { timeout: 30_000 });
      await victim.server.restart();
      await cluster.healthy(60_000);
      const ra = await pa.stop();
      const rb = await pb.stop();
      expect([ra.givenUp, rb.givenUp]).toEqual([0, 0]);
      await vi.waitFor(() => expect(a.events.outboxState().events + b.events.outboxState().events).toBe(0), {
        timeout: 30_000,
        interval: 100,
      });
      const stored = (await a.events.read({ subject: subjects.eventsOfGoal(goal) })).flatMap(
        (e: GuildEvent) => (e.type === "agent.online" ? [e.payload.agentId] : []),
      );
      const range = (source: string, n: number) => Array.from({ length: n }, (_, i) => `${source}-${i}`);
      expect(stored.filter((x) => x.startsWith("a-"))).toEqual(range("a", ra.count));
      expect(stored.filter((x) => x.startsWith("b-"))).toEqual(range("b", rb.count));
      // The election was a leaderless moment for at least one publisher: some of its events waited and were stored late.
      const late = a.events.outboxState().storedLate + b.events.outboxState().storedLate;
      console.log(`a: ${ra.count} events, b: ${rb.count} events; ${late} stored after a retry`);
    } finally {
      await a.close();
      await b.close();
    }
  }, 150_000);
});
