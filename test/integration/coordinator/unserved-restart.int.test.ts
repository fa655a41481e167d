import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryBus } from "../../../src/bus/index.js";
import { Coordinator } from "../../../src/coordinator/index.js";
import { createLogger, SimulatedClock } from "../../../src/protocol/index.js";
import { demoRepo } from "../../helpers/demo-repo.js";

const WAIT_MS = 60_000;

async function until<T>(read: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("a task whose role no agent serves, across a coordinator restart", () => {
  it("fails when the wait begun before the restart ends (what was left of it), not after a fresh full wait", async () => {
    using repo = demoRepo();
    appendFileSync(join(repo.path, "guild.yaml"), `unservedWaitMs: ${WAIT_MS}\n`);
    repo.git("commit", "-qam", "wait a minute for agents");
    const bus = new MemoryBus();
    const clock = new SimulatedClock(1_000_000);
    const logger = createLogger({ level: "silent" });
    const first = new Coordinator({ bus, logger, clock, coordinatorId: "c-first" });
    let second: Coordinator | undefined;
    try {
      await first.start();
      await first.submit({
        goalId: "g-unserved",
        text: "write the guide",
        repo: repo.path,
        baseRef: "HEAD",
        plan: [
          {
            taskId: "guide",
            role: "docs",
            title: "guide",
            instructions: "",
            expectedPaths: ["docs/guide.md"],
            dependsOn: [],
          },
        ],
      });
      const unserved = async () => (await bus.events.read()).filter((e) => e.type === "task.unserved");
      await until(async () => ((await unserved()).length > 0 ? true : undefined), "the first warning");
      await until(
        () =>
          first.goals.get("g-unserved")?.actor.getSnapshot().context.tasks.guide?.status === "dispatched"
            ? true
            : undefined,
        "the dispatch",
      );
      // 40 of the 60 s pass under the first coordinator, which then stops (its timers die with it).
      clock.advance(40_000);
      await first.stop();

      second = new Coordinator({ bus, logger, clock, coordinatorId: "c-second" });
      await second.start();
      const goal = await until(() => second?.goals.get("g-unserved"), "the restored goal");
      expect(goal.actor.getSnapshot().context.tasks.guide?.status).toBe("dispatched");
      // Warned once, before the restart: the restored wait is not announced again.
      await new Promise((r) => setTimeout(r, 100));
      expect(await unserved()).toHaveLength(1);

      clock.advance(WAIT_MS - 40_000 - 1);
      await new Promise((r) => setTimeout(r, 100));
      expect(goal.actor.getSnapshot().context.tasks.guide?.status).toBe("dispatched");
      clock.advance(1);
      const ended = await Promise.race([
        goal.finished,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error("the restored wait never ended the task")), 10_000),
        ),
      ]);
      expect(ended.status).toBe("failed");
      expect(ended.tasks.guide?.status).toBe("failed");
      expect(ended.reason).toBe(
        `no task produced an accepted proposal (guide: unserved: no agent of role docs is running and none came within ${WAIT_MS} ms)`,
      );
    } finally {
      await second?.stop();
      await first.stop().catch(() => undefined);
      await bus.close();
    }
  });
});
