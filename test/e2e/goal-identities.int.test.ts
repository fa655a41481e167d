import { describe, expect, it } from "vitest";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { identityGuild } from "./identity-guild.js";

describe("the demo goal on a server that enforces guild's identities", () => {
  it("the coordinator, one connection per role with its own key and the operator's submit end the goal done", async () => {
    await using guild = await identityGuild();
    // Agents first: they wait for the role consumers the coordinator creates when it dispatches.
    await guild.startAgents();
    await guild.startCoordinator();
    const operator = await guild.connect("operator");
    const result = await submitGoal(
      operator,
      "harden the demo app",
      { repo: guild.repo.path, wait: true, timeoutMs: 240_000 },
      collectOutput(),
    );
    const failed = result.events.find((e) => e.type === "goal.failed");
    expect(failed ? JSON.stringify(failed.payload) : "").toBe("");
    expect(result.status).toBe("done");
    const verify = result.events.find((e) => e.type === "verify.finished");
    expect(verify?.type === "verify.finished" && verify.payload.passed).toBe(true);
    const proposers = new Set(
      result.events.flatMap((e) => (e.type === "proposal.accepted" ? [e.payload.taskId] : [])),
    );
    expect(proposers.size).toBeGreaterThanOrEqual(3);
    // Nothing any identity sent was refused or dropped as invalid on the way.
    const rejected = (await operator.events.read()).filter((e) => e.type === "bus.message.rejected");
    expect(rejected).toEqual([]);
  }, 300_000);
});
