import { describe, expect, it, onTestFailed } from "vitest";
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
      // Each step's time, printed only if the test fails (a timeout too): where a stuck run stopped.
      const t0 = Date.now();
      const steps: string[] = [];
      const step = (m: string) => steps.push(`+${Date.now() - t0} ms ${m}`);
      onTestFailed(() => console.error(`steps of the run killed while ${state}:\n${steps.join("\n")}`));
      await using server = await startNats();
      step("nats up");
      let second: Awaited<ReturnType<typeof spawnGuildProcess>> | undefined;
      let goal: Awaited<ReturnType<typeof recordGoal>> | undefined;
      using repo = durableRepo();
      const env = { NATS_URL: server.url, PROPOSAL_ACK_WAIT_MS: "3000" };
      const first = await spawnGuildProcess(COORDINATOR_MAIN, env);
      step("first coordinator ready");
      const bus = await NatsBus.connect({ url: server.url, name: "test" });
      const guild = await startGuild({
        bus,
        logger: createLogger({ level: "silent" }),
        roles: ["frontend", "backend"],
        coordinator: false,
        ackWaitMs: 6000,
      });
      step("agents up");
      try {
        const goalId = `g-kill-${state}`;
        const g = await recordGoal(bus, goalId);
        goal = g;
        step("following the goal's events");
        await submitDurableGoal(bus, repo.path, goalId);
        step("submitted");
        await g.waitFor(entered(state), 60_000);
        step("entered");
        expect(await first.kill("SIGKILL")).toBe("SIGKILL");
        step("killed");
        const sec = await spawnGuildProcess(COORDINATOR_MAIN, env);
        second = sec;
        step("second ready");
        const timer = setInterval(
          () =>
            step(
              `waiting; last events ${g.events
                .map((e) => e.type)
                .slice(-6)
                .join(", ")}`,
            ),
          15_000,
        );
        // The waits add up to less than the test's time, so a stuck goal fails with its events and the
        // restarted coordinator's output rather than with a bare timeout.
        const end = await g
          .waitFor(isTerminal, 120_000)
          .catch((e: unknown) => {
            throw new Error(`${String(e)}\nrestarted coordinator:\n${sec.output().slice(-4000)}`);
          })
          .finally(() => clearInterval(timer));
        step(`end ${end.type}`);
        expect(`${end.type} ${JSON.stringify(end.payload)}`, sec.output()).toMatch(/^goal\.done/);
        await g.waitFor(
          (e) => e.type === "coordinator.state.changed" && e.payload.from === "restored",
          20_000,
        );
        step("restored seen");
        await expectDoneExactlyOnce(bus, repo, goalId);
        step("checked");
      } finally {
        step("finally");
        await second?.kill("SIGKILL");
        step("second gone");
        await goal?.[Symbol.asyncDispose]();
        step("unsubscribed");
        await first.kill("SIGKILL");
        step("first gone");
        await guild.stop();
        step("guild stopped");
        await bus.close();
        step("bus closed");
      }
    },
    240_000,
  );
});
