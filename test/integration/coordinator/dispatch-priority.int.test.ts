import { describe, expect, it } from "vitest";
import { createActor, waitFor } from "xstate";
import { createEventEmitter, MemoryBus } from "../../../src/bus/index.js";
import { provideGoalEffects } from "../../../src/coordinator/goal/goal-effects.js";
import type { GoalContext } from "../../../src/coordinator/goal/goal-types.js";
import { loadOwnership } from "../../../src/ownership/index.js";
import { SimulatedClock, TaskAssignment, type TaskSpec } from "../../../src/protocol/index.js";
import { demoRepo } from "../../helpers/demo-repo.js";

const spec = (taskId: string, role: string, path: string, dependsOn: string[] = []): TaskSpec => ({
  taskId,
  role,
  title: taskId,
  instructions: "",
  expectedPaths: [path],
  dependsOn,
});

describe("dispatching a goal's tasks", () => {
  it("sends each assignment with its criticality and stamps the dispatch time from the clock", async () => {
    using repo = demoRepo();
    const bus = new MemoryBus();
    const clock = new SimulatedClock(5000);
    const ownership = await loadOwnership({ repoDir: repo.path });
    const machine = provideGoalEffects({
      bus,
      events: createEventEmitter(bus, "coordinator"),
      ownership,
      clock,
    });
    const baseCommit = repo.git("rev-parse", "HEAD");
    const input: GoalContext = {
      goalId: "g1",
      text: "x",
      repo: repo.path,
      baseRef: "HEAD",
      baseCommit,
      preparedPlan: [
        spec("auth", "security", "src/lib/auth.ts"),
        spec("api", "backend", "src/api.ts", ["auth"]),
        spec("guide", "docs", "docs/guide.md", ["api"]),
        spec("readme", "docs", "README.md"),
      ],
      tasks: {},
      order: [],
      settlements: [],
      decisions: [],
      merged: [],
    };
    const actor = createActor(machine, { input }).start();
    try {
      const s = await waitFor(actor, (snap) => snap.matches({ running: "reviewing" }));
      expect(s.context.tasks.auth?.dispatchedAt).toBe(5000);
      const consumer = await bus.consumer("tasks", {
        durable: "check",
        subject: "guild.task.>",
        schema: TaskAssignment,
      });
      const priorities: Record<string, number | undefined> = {};
      for (
        let item = await consumer.next({ expiresMs: 200 });
        item;
        item = await consumer.next({ expiresMs: 200 })
      ) {
        priorities[item.data.payload.task.taskId] = item.data.payload.priority;
        await item.ack();
      }
      // auth heads a chain of three; the independent readme has only itself.
      expect(priorities).toEqual({ auth: 3, readme: 1 });
      await consumer.close();
    } finally {
      actor.stop();
      await bus.close();
    }
  });
});
