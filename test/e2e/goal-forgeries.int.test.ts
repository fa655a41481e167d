import { describe, expect, it } from "vitest";
import type { NatsBus } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { type GuildEvent, makeEnvelope, ProposalMessage, subjects } from "../../src/protocol/index.js";
import { identityGuild } from "./identity-guild.js";

const GOAL = "g-forged";

/** Publishes as a request, so a permission error comes back to this call; resolves with what happened. */
async function attempt(bus: NatsBus, subject: string, data: unknown): Promise<string> {
  return bus.connection.request(subject, JSON.stringify(data), { timeout: 3000 }).then(
    () => "answered",
    (e: unknown) => `${(e as Error).message} ${String((e as Error).cause ?? "")}`,
  );
}

describe("forgeries with an agent's key while the demo goal runs", () => {
  it("each is refused by the server or ignored by the coordinator with bus.message.rejected, and the goal ends done", async () => {
    await using guild = await identityGuild();
    const coordinatorBus = await guild.startCoordinator();
    await guild.startAgents();
    const operator = await guild.connect("operator");
    const attacker = await guild.connect("agent-docs");
    // The attacker waits for a security task to be claimed, then strikes while it is worked.
    let claimed: (e: GuildEvent) => void = () => undefined;
    const securityClaim = new Promise<GuildEvent>((resolve) => {
      claimed = resolve;
    });
    const follow = await coordinatorBus.events.follow({ subject: subjects.eventsOfGoal(GOAL) }, (e) => {
      if (e.type === "task.claimed" && e.source.startsWith("security-")) claimed(e);
    });
    const running = submitGoal(
      operator,
      "harden the demo app",
      { repo: guild.repo.path, wait: true, timeoutMs: 240_000, goalId: GOAL },
      collectOutput(),
    );
    const claim = await securityClaim;
    await follow.unsubscribe();
    if (claim.type !== "task.claimed") throw new Error("not a claim");
    const { taskId } = claim.payload;

    // Refused by the server: another agent's subjects, control, the coordinator's state and streams.
    const refused = [
      await attempt(attacker, subjects.event(GOAL, claim.source, "task.failed"), {}),
      await attempt(attacker, subjects.proposal(GOAL, claim.source), {}),
      await attempt(attacker, subjects.goalControl(GOAL), { action: "cancel" }),
      await attempt(attacker, "$KV.guild-state.goal.g-evil", { status: "running" }),
      await attempt(attacker, "$JS.API.STREAM.DELETE.GUILD_EVENTS", {}),
      await attempt(attacker, "$JS.API.STREAM.DELETE.GUILD_TASKS", {}),
    ];
    for (const outcome of refused) expect(outcome).toMatch(/Permissions Violation for Publish/);

    // Allowed subjects (its own agent id), but not its task: the coordinator ignores them.
    const failed = makeEnvelope({
      type: "task.failed",
      source: "docs-1",
      goalId: GOAL,
      payload: { taskId, attempt: 1, reason: "forged failure" },
    }) as GuildEvent;
    await attacker.events.append(failed);
    const forged = ProposalMessage.parse(
      makeEnvelope({
        type: "proposal.submitted",
        source: "docs-1",
        goalId: GOAL,
        payload: {
          proposalId: `${taskId}-1`,
          goalId: GOAL,
          taskId,
          attempt: 1,
          role: "security",
          agentId: "docs-1",
          baseCommit: "a".repeat(40),
          headCommit: "b".repeat(40),
          bundleKey: null,
          changedPaths: [],
          rationale: "forged: nothing to do",
        },
      }),
    );
    // A message id of its own: the forgery must not take the real proposal's place in the dedup window.
    await attacker.enqueue("proposals", subjects.proposal(GOAL, "docs-1"), forged, { msgId: "forged-1" });

    const result = await running;
    const failure = result.events.find((e) => e.type === "goal.failed");
    expect(failure ? JSON.stringify(failure.payload) : "").toBe("");
    expect(result.status).toBe("done");
    const rejected = result.events.filter((e) => e.type === "bus.message.rejected");
    const reasons = rejected.map((e) => (e.type === "bus.message.rejected" ? e.payload.reason : ""));
    expect(reasons.some((r) => r.startsWith("task.failed ignored") && r.includes("docs-1"))).toBe(true);
    expect(reasons.some((r) => r.startsWith(`proposal ${taskId}-1 ignored`) && r.includes("docs-1"))).toBe(
      true,
    );
    // The security task was neither failed nor retried for the forgeries: the real agent's attempt 1 was
    // accepted, and the only other dispatch is the demo's settled conflict sending the loser back.
    const accepted = result.events.find((e) => e.type === "proposal.accepted" && e.payload.taskId === taskId);
    expect(accepted?.type === "proposal.accepted" && accepted.payload.proposalId).toBe(`${taskId}-1`);
    // (The forged task.failed from docs-1 is in the stream; none from the agent holding the claim.)
    const failedByHolder = result.events.filter(
      (e) => e.type === "task.failed" && e.payload.taskId === taskId && e.source !== "docs-1",
    );
    expect(failedByHolder).toEqual([]);
    const lost = result.events.filter((e) => e.type === "conflict.settled" && e.payload.loser === taskId);
    const dispatched = result.events.filter(
      (e) => e.type === "task.dispatched" && e.payload.taskId === taskId,
    );
    expect(dispatched.length).toBe(1 + lost.length);
  }, 300_000);
});
