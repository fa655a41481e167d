import { describe, expect, it } from "vitest";
import { type Bus, MemoryBus, NatsBus } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { startGuild } from "../../src/cli/runtime/start-guild.js";
import { createLogger, type TaskSpec } from "../../src/protocol/index.js";
import { tempRepo } from "../helpers/git-repo.js";
import { startNats } from "../helpers/nats.js";

const GUILD_YAML = `version: 1
rules:
  - pattern: "backend/**"
    owners: ["backend"]
roles:
  backend:
    brain: { kind: scripted, delayMs: 10 }
testCommand: ["true"]
`;

// The same task ids in both goals: a prepared plan reused, or two plans that both start at t1.
const plan: TaskSpec[] = ["t1", "t2"].map((taskId) => ({
  taskId,
  role: "backend",
  title: `write ${taskId}`,
  instructions: "scripted",
  expectedPaths: [`backend/${taskId}.txt`],
  dependsOn: [],
}));

async function twoGoalsInARow(bus: Bus): Promise<void> {
  using first = tempRepo({ "guild.yaml": GUILD_YAML, "backend/.keep": "" });
  using second = tempRepo({ "guild.yaml": GUILD_YAML, "backend/.keep": "" });
  const guild = await startGuild({ bus, logger: createLogger({ level: "silent" }), roles: ["backend"] });
  try {
    for (const repo of [first, second]) {
      const result = await submitGoal(
        bus,
        "two files",
        { repo: repo.path, wait: true, plan, timeoutMs: 60_000 },
        collectOutput(),
      );
      const story = result.events
        .filter((e) => e.type !== "agent.step")
        .slice(-12)
        .map((e) => `${e.type} ${JSON.stringify(e.payload).slice(0, 300)}`)
        .join("\n");
      expect(result.status, story).toBe("done");
      // Each goal's own proposals reached the coordinator: none was taken for the other goal's duplicate.
      const accepted = result.events.filter(
        (e) => e.type === "proposal.accepted" && e.goalId === result.goalId,
      );
      expect(accepted).toHaveLength(2);
      expect(repo.git("show", `guild/${result.goalId}.integration:backend/t2.txt`)).toContain("t2");
    }
  } finally {
    await guild.stop();
  }
}

describe("two goals with the same task ids, one after the other", () => {
  it("both finish on the memory bus", async () => {
    const bus = new MemoryBus();
    try {
      await twoGoalsInARow(bus);
    } finally {
      await bus.close();
    }
  }, 120_000);

  it("both finish on nats-server, whose proposal stream drops repeated message ids", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url, name: "two-goals" });
    try {
      await twoGoalsInARow(bus);
    } finally {
      await bus.close();
    }
  }, 120_000);
});
