import { describe, expect, it } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import { createLogger } from "../../../src/protocol/index.js";
import { spawnGuildProcess } from "../../helpers/guild-process.js";
import { startNats } from "../../helpers/nats.js";
import {
  COORDINATOR_MAIN,
  durableRepo,
  entered,
  expectDoneExactlyOnce,
  isTerminal,
  recordGoal,
  submitDurableGoal,
} from "./fixtures/durable-goal.js";

const STATES = ["planning", "running", "settling", "merging", "verifying"] as const;

describe("a coordinator killed with SIGKILL and restarted", () => {
  it.each(STATES)(
    "continues a goal it was killed in while %s",
    async (state) => {
      await using server = await startNats();
      using repo = durableRepo();
      const env = { NATS_URL: server.url, PROPOSAL_ACK_WAIT_MS: "3000" };
      const first = await spawnGuildProcess(COORDINATOR_MAIN, env);
      const bus = await NatsBus.connect({ url: server.url, name: "test" });
      const guild = await startGuild({
        bus,
        logger: createLogger({ level: "silent" }),
        roles: ["frontend", "backend"],
        coordinator: false,
        ackWaitMs: 6000,
      });
      try {
        const goalId = `g-kill-${state}`;
        await using goal = await recordGoal(bus, goalId);
        await submitDurableGoal(bus, repo.path, goalId);
        await goal.waitFor(entered(state), 60_000);
        expect(await first.kill("SIGKILL")).toBe("SIGKILL");
        await using second = await spawnGuildProcess(COORDINATOR_MAIN, env);
        // The waits add up to less than the test's time, so a stuck goal fails with its events and the
        // restarted coordinator's output rather than with a bare timeout.
        const end = await goal.waitFor(isTerminal, 120_000).catch((e: unknown) => {
          throw new Error(`${String(e)}\nrestarted coordinator:\n${second.output().slice(-4000)}`);
        });
        expect(`${end.type} ${JSON.stringify(end.payload)}`, second.output()).toMatch(/^goal\.done/);
        await goal.waitFor(
          (e) => e.type === "coordinator.state.changed" && e.payload.from === "restored",
          20_000,
        );
        await expectDoneExactlyOnce(bus, repo, goalId);
      } finally {
        await first.kill("SIGKILL");
        await guild.stop();
        await bus.close();
      }
    },
    240_000,
  );
});
