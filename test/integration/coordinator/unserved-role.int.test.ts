import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Actor, createActor, waitFor } from "xstate";
import { createEventEmitter, MemoryBus } from "../../../src/bus/index.js";
import { provideGoalEffects } from "../../../src/coordinator/goal/goal-effects.js";
import type { goalMachine } from "../../../src/coordinator/goal/goal-machine.js";
import type { GoalContext } from "../../../src/coordinator/goal/goal-types.js";
import { loadOwnership } from "../../../src/ownership/index.js";
import { claimKey, SimulatedClock } from "../../../src/protocol/index.js";
import { demoRepo } from "../../helpers/demo-repo.js";

const WAIT_MS = 60_000;
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A goal of one docs task on the memory bus, its wait for an agent timed by a simulated clock. */
async function startGoal(repo: ReturnType<typeof demoRepo>, bus: MemoryBus, clock: SimulatedClock) {
  appendFileSync(join(repo.path, "guild.yaml"), `unservedWaitMs: ${WAIT_MS}\n`);
  repo.git("commit", "-qam", "wait a minute for agents");
  const ownership = await loadOwnership({ repoDir: repo.path });
  let actor: Actor<typeof goalMachine> | undefined;
  const machine = provideGoalEffects({
    bus,
    events: createEventEmitter(bus, "coordinator"),
    ownership,
    clock,
    send: (event) => actor?.send(event),
  });
  const input: GoalContext = {
    goalId: "g1",
    text: "write the guide",
    repo: repo.path,
    baseRef: "HEAD",
    baseCommit: repo.git("rev-parse", "HEAD"),
    preparedPlan: [
      {
        taskId: "guide",
        role: "docs",
        title: "guide",
        instructions: "",
        expectedPaths: ["docs/guide.md"],
        dependsOn: [],
      },
    ],
    tasks: {},
    order: [],
    settlements: [],
    decisions: [],
    merged: [],
  };
  actor = createActor(machine, { input }).start();
  await waitFor(actor, (s) => s.matches({ running: "reviewing" }));
  return actor;
}

async function present(bus: MemoryBus, role: string) {
  const at = new Date().toISOString();
  await bus.presence.put(
    `${role}-1`,
    encode({ agentId: `${role}-1`, role, host: "h", pid: 1, since: at, seenAt: at }),
  );
}

// The watch runs beside the dispatch (the dispatch is recorded first), so its events come a moment later:
// wait for the expected count, or a short while when none is expected.
const unserved = async (bus: MemoryBus, expected = 0) => {
  const deadline = Date.now() + (expected > 0 ? 5000 : 200);
  for (;;) {
    const events = (await bus.events.read()).filter((e) => e.type === "task.unserved");
    if ((expected > 0 && events.length >= expected) || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("a task whose role no agent serves", () => {
  it("is warned about at once and fails the goal with the reason after the wait", async () => {
    using repo = demoRepo();
    const bus = new MemoryBus();
    const clock = new SimulatedClock(0);
    try {
      await present(bus, "security");
      const actor = await startGoal(repo, bus, clock);
      const warned = await unserved(bus, 1);
      expect(warned.map((e) => e.type === "task.unserved" && e.payload)).toEqual([
        {
          taskId: "guide",
          role: "docs",
          attempt: 1,
          waitMs: WAIT_MS,
          reason: "no agent of role docs is running",
        },
      ]);
      clock.advance(WAIT_MS - 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(actor.getSnapshot().context.tasks.guide?.status).toBe("dispatched");
      clock.advance(1);
      const final = await waitFor(actor, (s) => s.status === "done", { timeout: 5000 });
      expect(final.value).toBe("failed");
      expect(final.context.tasks.guide?.status).toBe("failed");
      expect(final.context.reason).toBe(
        `no task produced an accepted proposal (guide: unserved: no agent of role docs is running and none came within ${WAIT_MS} ms)`,
      );
    } finally {
      await bus.close();
    }
  });

  it("gets no warning and is not failed when an agent of its role is present", async () => {
    using repo = demoRepo();
    const bus = new MemoryBus();
    const clock = new SimulatedClock(0);
    try {
      await present(bus, "docs");
      const actor = await startGoal(repo, bus, clock);
      expect(await unserved(bus)).toEqual([]);
      clock.advance(WAIT_MS * 2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(actor.getSnapshot().context.tasks.guide?.status).toBe("dispatched");
      actor.stop();
    } finally {
      await bus.close();
    }
  });

  it("is not failed when an agent of its role claims it within the wait", async () => {
    using repo = demoRepo();
    const bus = new MemoryBus();
    const clock = new SimulatedClock(0);
    try {
      const actor = await startGoal(repo, bus, clock);
      expect(await unserved(bus, 1)).toHaveLength(1);
      // The agent came up, claimed the task and went away again before the wait ended.
      await bus.kv.put(claimKey("docs", "g1", "guide"), encode({ agentId: "docs-1", attempt: 1, at: 1 }));
      clock.advance(WAIT_MS);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(actor.getSnapshot().context.tasks.guide?.status).toBe("dispatched");
      actor.stop();
    } finally {
      await bus.close();
    }
  });
});
