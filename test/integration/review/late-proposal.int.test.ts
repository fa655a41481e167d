import { jetstreamManager } from "@nats-io/jetstream";
import { describe, expect, it, vi } from "vitest";
import type { NatsBus } from "../../../src/bus/index.js";
import { startScenario, task } from "./scenario.js";

const FILES = {
  "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
roles: { backend: {} }
testCommand: ["true"]
`,
  "src/api.ts": "export const api = 1;\n",
};

describe("a proposal that arrives after its goal ended", () => {
  it("is not reviewed: its bundle is deleted, nothing is imported, it is acked, and the event says why", async () => {
    await using s = await startScenario(FILES);
    const { goalId, base } = await s.submit([task("b", "backend", ["src/**"])]);
    await s.waitFor("task.dispatched", (e) => e.goalId === goalId && e.payload.taskId === "b");
    // Deleted by the goal's end: once it is gone, the end's clean-up has run, and nothing after it would
    // delete the late proposal's bundle or ref.
    const marker = `${goalId}.b.9.backend-9`;
    await s.bus.blobs.put(marker, new TextEncoder().encode("an earlier bundle"));
    expect((await s.control(goalId, { action: "cancel", reason: "not needed" })).ok).toBe(true);
    await s.waitFor("goal.cancelled", (e) => e.goalId === goalId);
    await vi.waitFor(async () => expect(await s.bus.blobs.info(marker)).toBeNull(), { timeout: 20_000 });

    // The agent, still working when the goal was cancelled, proposes afterwards with a bundle.
    await s.propose(goalId, { taskId: "b", role: "backend", attempt: 1, base }, { "src/api.ts": "late\n" });
    const verdict = await vi.waitFor(
      () => {
        const seen = s.events.find(
          (e) =>
            (e.type === "proposal.rejected" || e.type === "proposal.accepted") &&
            e.goalId === goalId &&
            e.payload.proposalId === "b-1",
        );
        if (!seen) throw new Error("no verdict yet");
        return seen;
      },
      { timeout: 30_000 },
    );
    expect(verdict.type).toBe("proposal.rejected");
    expect(verdict.type === "proposal.rejected" && verdict.payload.reason).toBe(
      `goal ${goalId} ended (cancelled) before this proposal arrived; it was not reviewed`,
    );
    expect(s.events.some((e) => e.type === "proposal.received" && e.goalId === goalId)).toBe(false);
    expect(s.repo.git("for-each-ref", "--format=%(refname)", "refs/guild/proposals/")).toBe("");
    expect(await s.bus.blobs.info(`${goalId}.b.1.backend-1`)).toBeNull();
    // Acked (after the goal's record is stored): nothing pending, nothing waiting for redelivery.
    const jsm = await jetstreamManager((s.bus as NatsBus).connection);
    await vi.waitFor(
      async () => {
        const info = await jsm.consumers.info("GUILD_PROPOSALS", "coordinator-proposals");
        expect({ pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({
          pending: 0,
          unacked: 0,
        });
        expect(info.delivered.stream_seq).toBeGreaterThan(0);
      },
      { timeout: 10_000 },
    );
  });
});
