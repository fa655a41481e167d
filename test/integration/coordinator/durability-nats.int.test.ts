import { describe, expect, it } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { spawnGuildProcess } from "../../helpers/guild-process.js";
import { startCheckoutGuild } from "../../helpers/host-config.js";
import { startNats } from "../../helpers/nats.js";
import {
  COORDINATOR_MAIN,
  durableRepo,
  isTerminal,
  mergesPerTask,
  recordGoal,
  submitDurableGoal,
} from "./fixtures/durable-goal.js";

describe("a NATS server restarted mid-goal (file store kept)", () => {
  it("is survived by the coordinator process and the agents: the goal still ends done, each task merged once", async () => {
    await using server = await startNats();
    using repo = durableRepo({ brainSeconds: 3 });
    await using coordinator = await spawnGuildProcess(COORDINATOR_MAIN, {
      NATS_URL: server.url,
      PROPOSAL_ACK_WAIT_MS: "5000",
    });
    const bus = await NatsBus.connect({ url: server.url, name: "test" });
    const guild = await startCheckoutGuild(bus, repo.path, {
      roles: ["frontend", "backend"],
      coordinator: false,
      ackWaitMs: 6000,
    });
    try {
      const goalId = "g-nats-restart";
      await using goal = await recordGoal(bus, goalId);
      await submitDurableGoal(bus, repo.path, goalId);
      await goal.waitFor((e) => e.type === "task.claimed");
      await server.restart();
      const end = await goal.waitFor(isTerminal, 150_000).catch((e: Error) => {
        throw new Error(`${e.message}\ncoordinator output:\n${coordinator.output()}`);
      });
      expect(`${end.type} ${JSON.stringify(end.payload)}`, coordinator.output()).toMatch(/^goal\.done/);
      expect(mergesPerTask(repo, goalId)).toEqual({ "t-api": 1, "t-web": 1, "t-web2": 1 });
      const record = await bus.kv.get(`goal.${goalId}`);
      expect(JSON.parse(new TextDecoder().decode(record?.value)).status).toBe("done");
    } finally {
      await guild.stop();
      await bus.close();
    }
  }, 200_000);
});
