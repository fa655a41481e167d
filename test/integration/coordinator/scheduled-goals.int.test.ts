import { describe, expect, it } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { runStatus } from "../../../src/cli/commands/status.js";
import { collectOutput } from "../../../src/cli/output.js";
import { Coordinator, runGoalId } from "../../../src/coordinator/index.js";
import { createLogger, type GuildEvent, SimulatedClock } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { startNats } from "../../helpers/nats.js";

const NIGHTLY = { id: "nightly", cron: "0 3 * * *", goal: "tidy the docs", base: "HEAD" };
const DAY_0200 = Date.parse("2026-12-07T02:00:00Z");
const HOUR = 3_600_000;

describe("scheduled goals on a real coordinator and NATS KV", () => {
  it("starts each run once, survives restarts, starts a run missed while down once, and shows in guild status", async () => {
    await using server = await startNats();
    using repo = tempRepo({ "README.md": "# scheduled\n", "docs/a.md": "a\n" });
    const bus = await NatsBus.connect({ url: server.url, name: "test" });
    const clock = new SimulatedClock(DAY_0200);
    const logger = createLogger({ level: "silent" });
    const coordinator = () =>
      new Coordinator({ bus, logger, clock, schedules: { repo: repo.path, schedules: [NIGHTLY] } });
    const fired = async () =>
      (await bus.events.read({ subject: "guild.evt.*.coordinator.schedule.fired" })) as Extract<
        GuildEvent,
        { type: "schedule.fired" }
      >[];
    const until = async (n: number) => {
      for (let i = 0; i < 200 && (await fired()).length < n; i++) await new Promise((r) => setTimeout(r, 50));
      return fired();
    };
    try {
      const first = coordinator();
      await first.start();
      expect(await fired()).toEqual([]);
      clock.advance(HOUR);
      const [run] = await until(1);
      const slot = Date.parse("2026-12-07T03:00:00Z");
      expect(run?.goalId).toBe(runGoalId("nightly", slot));
      expect(run?.payload).toMatchObject({
        scheduleId: "nightly",
        slot: "2026-12-07T03:00:00.000Z",
        late: false,
      });
      const submitted = await bus.events.read({
        subject: `guild.evt.${run?.goalId}.coordinator.goal.submitted`,
      });
      expect(submitted[0]?.payload).toMatchObject({ text: "tidy the docs", repo: repo.path });
      await first.stop();

      // A restart in the same hour starts nothing again.
      const second = coordinator();
      await second.start();
      await new Promise((r) => setTimeout(r, 300));
      expect(await fired()).toHaveLength(1);
      await second.stop();

      // Down for two days and a bit: the two missed runs start once, as one late run.
      clock.advance(2 * 24 * HOUR + HOUR);
      const third = coordinator();
      await third.start();
      const runs = await until(2);
      expect(runs).toHaveLength(2);
      expect(runs[1]?.payload).toMatchObject({ slot: "2026-12-09T03:00:00.000Z", late: true });
      await new Promise((r) => setTimeout(r, 300));
      expect(await fired()).toHaveLength(2);

      const output = collectOutput();
      await runStatus(bus, {}, output);
      const line = output.lines.find((l) => l.startsWith("schedule nightly"));
      expect(line).toContain('"0 3 * * *"');
      expect(line).toContain(`last 2026-12-09T03:00:00.000Z → ${runs[1]?.goalId}`);
      expect(line).toMatch(/next \d{4}-\d\d-\d\dT03:00:00\.000Z/);
      await third.stop();
    } finally {
      await bus.close();
    }
  }, 90_000);
});
