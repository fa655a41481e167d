import { describe, expect, it, onTestFailed } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { spawnGuildProcess } from "../../helpers/guild-process.js";
import { startCheckoutGuild } from "../../helpers/host-config.js";
import { startNats } from "../../helpers/nats.js";
import {
  COORDINATOR_MAIN,
  durablePlan,
  durableRepo,
  expectDoneExactlyOnce,
  freezeWhenStored,
  holdingPlanner,
  isTerminal,
  recordGoal,
  submitDurableGoal,
} from "./fixtures/durable-goal.js";

const STATES = ["planning", "running", "settling", "merging", "verifying"] as const;
const TEST_MS = 300_000;
// What the clean-up after a failure needs of the test's time.
const RESERVE_MS = 20_000;

describe("a coordinator killed with SIGKILL and restarted", () => {
  it.each(STATES)(
    "continues a goal it was killed in while %s",
    async (state) => {
      // Each step's time, printed only if the test fails (a timeout too): where a stuck run stopped.
      const t0 = Date.now();
      // Every wait takes what is left of one budget, so the waits never add up to more than the test's
      // time: a goal that does not end fails with its events instead of a bare timeout.
      const left = () => Math.max(1_000, t0 + TEST_MS - RESERVE_MS - Date.now());
      const steps: string[] = [];
      const step = (m: string) => steps.push(`+${Date.now() - t0} ms ${m}`);
      onTestFailed(() => console.error(`steps of the run killed while ${state}:\n${steps.join("\n")}`));
      await using server = await startNats();
      step("nats up");
      let second: Awaited<ReturnType<typeof spawnGuildProcess>> | undefined;
      let goal: Awaited<ReturnType<typeof recordGoal>> | undefined;
      const subs: ({ unsubscribe(): Promise<void> } | undefined)[] = [];
      // Planning with a prepared plan ends before its record is stored: this planner holds it until the kill.
      const planning = state === "planning";
      using repo = durableRepo({ llmPlanner: planning });
      let killed = () => {};
      const afterKill = new Promise<void>((resolve) => {
        killed = resolve;
      });
      const env = { NATS_URL: server.url, PROPOSAL_ACK_WAIT_MS: "3000" };
      const first = await spawnGuildProcess(COORDINATOR_MAIN, env, { readyTimeoutMs: left() });
      step("first coordinator ready");
      const bus = await NatsBus.connect({ url: server.url, name: "test" });
      const guild = await startCheckoutGuild(bus, repo.path, {
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
        const planner = planning ? await holdingPlanner(bus, afterKill) : undefined;
        subs.push(planner);
        await submitDurableGoal(bus, repo.path, goalId, planning ? null : durablePlan);
        step("submitted");
        // Killed only once the stored record, which the restart restores, holds the state: the event
        // that a state was entered can come before its record is stored, or after the next one.
        const frozenIn = await freezeWhenStored(bus, goalId, first.pid, state, left());
        step(`frozen in ${frozenIn}`);
        expect(await first.kill("SIGKILL")).toBe("SIGKILL");
        killed();
        step("killed");
        const sec = await spawnGuildProcess(COORDINATOR_MAIN, env, { readyTimeoutMs: left() });
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
        const end = await g
          .waitFor(isTerminal, left())
          .catch((e: unknown) => {
            throw new Error(`${String(e)}\nrestarted coordinator:\n${sec.output().slice(-4000)}`);
          })
          .finally(() => clearInterval(timer));
        step(`end ${end.type}`);
        expect(`${end.type} ${JSON.stringify(end.payload)}`, sec.output()).toMatch(/^goal\.done/);
        const restored = await g.waitFor(
          (e) => e.type === "coordinator.state.changed" && e.payload.from === "restored",
          left(),
        );
        step("restored seen");
        expect(restored.type === "coordinator.state.changed" && restored.payload.to).toBe(frozenIn);
        await expectDoneExactlyOnce(bus, repo, goalId);
        step("checked");
      } finally {
        step("finally");
        killed();
        for (const sub of subs) await sub?.unsubscribe();
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
    TEST_MS,
  );
});
