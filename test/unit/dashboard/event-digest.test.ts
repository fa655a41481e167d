import { describe, expect, it } from "vitest";
import { EventDigest } from "../../../src/dashboard/event-digest.js";
import { type GuildEvent, makeEnvelope } from "../../../src/protocol/index.js";

function ev(type: string, source: string, payload: unknown, goalId = "g1"): GuildEvent {
  return makeEnvelope({ type, source, goalId, payload }) as GuildEvent;
}

describe("dashboard event digest", () => {
  it("tracks what each agent does, freeing it when its task's machine settles", () => {
    const d = new EventDigest();
    d.add(
      ev("agent.online", "security-1", { agentId: "security-1", role: "security", brain: "offline" }, "_"),
      1,
    );
    d.add(ev("task.claimed", "security-1", { taskId: "t1", agentId: "security-1", attempt: 1 }), 2);
    d.add(
      ev("agent.state.changed", "security-1", {
        agentId: "security-1",
        role: "security",
        from: "claimed",
        to: "working",
      }),
      3,
    );
    expect(d.agents.get("security-1")).toMatchObject({
      state: "working",
      goalId: "g1",
      taskId: "t1",
      brain: "offline",
    });
    d.add(
      ev("agent.state.changed", "security-1", {
        agentId: "security-1",
        role: "security",
        from: "working",
        to: "proposed",
      }),
      4,
    );
    const agent = d.agents.get("security-1");
    expect(agent?.state).toBe("proposed");
    expect(agent?.taskId).toBeUndefined();
  });

  it("keeps each proposal's outcome with its reason, and pairs a conflict with its settlement", () => {
    const d = new EventDigest();
    const received = (id: string, taskId: string) =>
      ev("proposal.received", "coordinator", {
        proposalId: id,
        taskId,
        role: "backend",
        agentId: "backend-1",
        changedPaths: ["a.ts"],
        partial: false,
      });
    d.add(received("p1", "a"), 1);
    d.add(received("p2", "b"), 2);
    d.add(ev("conflict.detected", "coordinator", { taskIds: ["a", "b"], files: ["a.ts"] }), 3);
    d.add(
      ev("conflict.settled", "coordinator", {
        winner: "a",
        loser: "b",
        policy: "priority",
        reason: "ranks higher",
        files: ["a.ts"],
      }),
      4,
    );
    d.add(
      ev("proposal.accepted", "coordinator", { proposalId: "p1", taskId: "a", reason: "owned and merged" }),
      5,
    );
    d.add(
      ev("proposal.revision_requested", "coordinator", {
        proposalId: "p2",
        taskId: "b",
        attempt: 2,
        reason: "redo on top",
      }),
      6,
    );
    expect(d.proposals.get("g1/p1")).toMatchObject({ outcome: "accepted", reason: "owned and merged" });
    expect(d.proposals.get("g1/p2")).toMatchObject({ outcome: "revision_requested", reason: "redo on top" });
    expect(d.conflicts).toEqual([
      {
        goalId: "g1",
        taskIds: ["a", "b"],
        files: ["a.ts"],
        seq: 3,
        settlement: { winner: "a", loser: "b", policy: "priority", reason: "ranks higher" },
      },
    ]);
  });

  it("sums the tokens and estimated cost the agents report per goal, and ignores a replayed sequence", () => {
    const d = new EventDigest();
    const step = (text: string, input: number) =>
      ev("agent.step", "backend-1", {
        taskId: "a",
        kind: "thought",
        text,
        usage: { inputTokens: input, outputTokens: 5 },
      });
    d.add(step("thinking", 100), 1);
    d.add(step("usage: 210 tokens in 2 steps, estimated cost 0.0125", 100), 2);
    d.add(step("usage: 210 tokens in 2 steps, estimated cost 0.0125", 100), 2);
    expect(d.spend.get("g1")).toEqual({ inputTokens: 200, outputTokens: 10, cost: 0.0125 });
  });
});
