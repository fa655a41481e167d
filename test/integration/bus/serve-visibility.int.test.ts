import { describe, expect, it } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { ControlReply, GoalControl, makeEnvelope } from "../../../src/protocol/index.js";
import { startNats } from "../../helpers/nats.js";

describe("NatsBus serve / unsubscribe visibility across connections", () => {
  it("a request from another connection right after serve() resolves is answered; right after unsubscribe() it finds no responder", async () => {
    await using server = await startNats();
    const a = await NatsBus.connect({ url: server.url, name: "server-side" });
    const b = await NatsBus.connect({ url: server.url, name: "client-side" });
    try {
      const request = makeEnvelope({
        type: "goal.control",
        source: "test",
        goalId: "g1",
        payload: { action: "status" as const },
      });
      for (let round = 0; round < 20; round++) {
        const sub = await a.serve(`guild.goal.g${round}.control`, GoalControl, async () =>
          makeEnvelope({
            type: "goal.control.reply",
            source: "svc",
            payload: { ok: true, message: `round ${round}` },
          }),
        );
        const reply = await b.request(`guild.goal.g${round}.control`, request, ControlReply, {
          timeoutMs: 2000,
        });
        expect(reply.payload.message).toBe(`round ${round}`);
        await sub.unsubscribe();
        await expect(
          b.request(`guild.goal.g${round}.control`, request, ControlReply, { timeoutMs: 2000 }),
        ).rejects.toMatchObject({
          code: "bus.no_responders",
        });
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
