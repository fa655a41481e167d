import { describe, expect, it } from "vitest";
import { talkOf } from "../../../src/dashboard/page/talk-log.js";
import { type GuildEvent, makeEnvelope } from "../../../src/protocol/index.js";

let seq = 0;
function ev(type: string, source: string, payload: unknown, goalId = "g1") {
  seq += 1;
  return { ...(makeEnvelope({ type, source, goalId, payload }) as GuildEvent), seq };
}

describe("the dashboard's talk log", () => {
  it("says who told whom what and why, linking each message to its overlap, contract or question", () => {
    const events = [
      ev("task.claimed", "backend-1", { taskId: "back", agentId: "backend-1", attempt: 1 }),
      ev("overlap.detected", "coordinator", {
        overlapId: "ov-1",
        kind: "export",
        path: "src/lib/auth.js",
        symbol: "legacyHash",
        change: "removed",
        a: { taskId: "sec", role: "security", did: "removed export legacyHash" },
        b: { taskId: "back", role: "backend", did: "uses legacyHash" },
      }),
      ev("peer.told", "coordinator", {
        agentId: "backend-1",
        taskId: "back",
        topic: "overlap",
        from: "coordinator",
        text: "Live overlap (ov-1): adapt\nmore",
        overlapId: "ov-1",
      }),
      ev("contract.broken", "coordinator", {
        contractId: "ct-1",
        provider: { taskId: "auth", role: "security" },
        dependents: [{ taskId: "route", role: "backend" }],
        path: "src/lib/auth.js",
        symbol: "login",
        declared: "exports login(user, password) from src/lib/auth.js",
        change: "changed",
        actual: "function login({ user, password })",
      }),
      ev("peer.asked", "backend-1", {
        taskId: "back",
        questionId: "q1",
        role: "security",
        question: "keep it?",
      }),
      ev("peer.told", "coordinator", {
        agentId: "security-1",
        taskId: "sec",
        topic: "question",
        from: "backend",
        text: "Question q1",
        questionId: "q1",
      }),
      ev("peer.answered", "security-1", { taskId: "sec", questionId: "q1", answer: "no" }),
      ev(
        "peer.told",
        "coordinator",
        { agentId: "x-1", taskId: "x", topic: "overlap", from: "coordinator", text: "other goal" },
        "g2",
      ),
    ];
    const rows = talkOf(events, "g1");
    expect(rows.map((r) => r.kind)).toEqual([
      "overlap.detected",
      "peer.told",
      "contract.broken",
      "peer.asked",
      "peer.told",
      "peer.answered",
    ]);
    expect(rows[1]).toMatchObject({
      from: "coordinator",
      to: "backend-1 (task back)",
      what: "[overlap] Live overlap (ov-1): adapt",
      why: "sec (security) removed export legacyHash; back (backend) uses legacyHash",
    });
    expect(rows[2]).toMatchObject({
      to: "auth (security), route (backend)",
      why: "auth (security) declared it exports login(user, password) from src/lib/auth.js but exports function login({ user, password })",
    });
    expect(rows[3]).toMatchObject({ from: "backend-1 (task back)", to: "role security", what: "keep it?" });
    expect(rows[4]?.why).toBe("question «keep it?» from backend-1 (task back)");
    expect(rows[5]).toMatchObject({ from: "security-1 (task sec)", to: "backend-1 (task back)", what: "no" });
    expect(talkOf(events, "")).toHaveLength(7);
  });
});
