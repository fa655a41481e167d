import { connect } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { NatsBus } from "../../src/bus/index.js";
import { startNats } from "../helpers/nats.js";
import { runDemoGoal } from "./goal-end-to-end.js";

describe("one goal end to end on a real nats-server", () => {
  it("runs the demo goal, and a plain NATS subscriber on guild.evt.> sees every step as JSON", async () => {
    await using server = await startNats();
    const raw = await connect({ servers: server.url });
    const seen: unknown[] = [];
    const sub = raw.subscribe("guild.evt.>", {
      callback: (_err, msg) => {
        seen.push(JSON.parse(msg.string()));
      },
    });
    const bus = await NatsBus.connect({ url: server.url, name: "e2e" });
    try {
      const { events } = await runDemoGoal(bus);
      await raw.flush();
      const rawIds = new Set(seen.map((e) => (e as { id: string }).id));
      const missing = events.filter((e) => !rawIds.has(e.id)).map((e) => e.type);
      expect(missing).toEqual([]);
      expect(seen.every((e) => typeof e === "object" && e !== null && (e as { v: number }).v === 1)).toBe(
        true,
      );
    } finally {
      sub.unsubscribe();
      await raw.close();
      await bus.close();
    }
  }, 300_000);
});
