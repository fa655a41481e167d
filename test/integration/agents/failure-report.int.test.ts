import { describe, expect, it } from "vitest";
import { Specialist } from "../../../src/agents/specialist/specialist.js";
import { MemoryBus } from "../../../src/bus/index.js";
import {
  createLogger,
  type GuildEvent,
  makeEnvelope,
  subjects,
  TaskAssignment,
  TaskSpec,
} from "../../../src/protocol/index.js";

describe("a specialist whose task.failed the event log refuses", () => {
  it("tries the report again and, while it is still refused, sends the task back to run again rather than ack it unreported", async () => {
    const bus = new MemoryBus();
    // The event log refuses the first four task.failed appends (a frozen stream leader times them out).
    let refusals = 4;
    const append = bus.events.append.bind(bus.events);
    bus.events.append = async (event: GuildEvent) => {
      if (event.type === "task.failed" && refusals > 0) {
        refusals--;
        throw new Error("timeout");
      }
      return append(event);
    };
    const agent = new Specialist({
      bus,
      role: "frontend",
      agentId: "frontend-1",
      logger: createLogger({ level: "silent" }),
      ackWaitMs: 60_000,
    });
    await agent.start();
    try {
      const assignment = TaskAssignment.parse(
        makeEnvelope({
          type: "task.assigned",
          source: "coordinator",
          goalId: "g-refused",
          payload: {
            task: TaskSpec.parse({
              taskId: "t-web",
              role: "frontend",
              title: "web",
              instructions: "",
              expectedPaths: ["web/a.txt"],
              dependsOn: [],
            }),
            goalId: "g-refused",
            goalText: "web",
            attempt: 1,
            repoId: "r-missing",
            baseCommit: "0".repeat(40),
            // A base bundle that is not in the blob store: the workspace cannot be made, the attempt fails.
            baseBundles: [{ key: "bundles/missing", commit: "0".repeat(40) }],
          },
        }),
      );
      await bus.enqueue("tasks", subjects.task("frontend"), assignment, { msgId: "g-refused.t-web.1" });
      const deadline = Date.now() + 30_000;
      let events: GuildEvent[] = [];
      while (Date.now() < deadline) {
        events = await bus.events.read();
        if (events.some((e) => e.type === "task.failed")) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const failed = events.filter((e) => e.type === "task.failed");
      expect(failed).toHaveLength(1);
      expect(failed[0]?.type === "task.failed" && failed[0].payload.reason).toMatch(/\S/);
      // Three refusals on the first run, so the task ran a second time, whose report the log took on its second try.
      const claims = events.filter((e) => e.type === "task.claimed");
      expect(claims.map((e) => (e.type === "task.claimed" ? e.payload.attempt : 0))).toEqual([1, 1]);
      expect(refusals).toBe(0);
    } finally {
      await agent.stop();
      await bus.close();
    }
  }, 60_000);
});
