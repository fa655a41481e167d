import { describe, it } from "vitest";
import { MemoryBus } from "../../src/bus/index.js";
import { runDemoGoal } from "./goal-end-to-end.js";

describe("one goal end to end on the memory bus", () => {
  it("five agents fix, test and document the demo app into a verified integration branch", async () => {
    const bus = new MemoryBus();
    try {
      await runDemoGoal(bus);
    } finally {
      await bus.close();
    }
  }, 300_000);
});
