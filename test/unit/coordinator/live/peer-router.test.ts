import { describe, expect, it } from "vitest";
import { PeerRouter, type Worker } from "../../../../src/coordinator/live/index.js";
import { type PeerDirective, SimulatedClock } from "../../../../src/protocol/index.js";

const backend: Worker = { taskId: "t-back", agentId: "backend-1", role: "backend" };
const security: Worker = { taskId: "t-sec", agentId: "security-1", role: "security" };

function router(maxMessages = 4) {
  const clock = new SimulatedClock();
  const told: { to: string; directive: PeerDirective; from: string }[] = [];
  const cuts: string[] = [];
  const r = new PeerRouter({
    clock,
    answerMs: 1000,
    maxMessages,
    deliver: (to, directive, from) => told.push({ to: to.agentId, directive, from }),
    cutOff: (w, limit) => cuts.push(`${w.taskId}:${limit}`),
  });
  return { r, clock, told, cuts };
}

describe("peer router", () => {
  it("carries a question to the asked role's agent and its answer back", () => {
    const { r, clock, told } = router();
    r.ask(backend, { questionId: "q1", role: "security", question: "Do you keep legacyHash?" }, [
      backend,
      security,
    ]);
    expect(told).toEqual([
      {
        to: "security-1",
        from: "backend",
        directive: expect.objectContaining({
          topic: "question",
          taskId: "t-sec",
          questionId: "q1",
          quote: "Do you keep legacyHash?",
        }),
      },
    ]);
    // Only the agent the question went to may answer it.
    expect(r.answer(backend, { questionId: "q1", answer: "yes" })).toBe(false);
    expect(r.answer(security, { questionId: "q1", answer: "No, use hash." })).toBe(true);
    expect(told[1]).toEqual({
      to: "backend-1",
      from: "security",
      directive: expect.objectContaining({ topic: "answer", taskId: "t-back", quote: "No, use hash." }),
    });
    clock.advance(5000);
    expect(told).toHaveLength(2);
  });

  it("tells the asker at once when nobody serves the role, and after the wait when nobody answers", () => {
    const { r, clock, told } = router();
    r.ask(backend, { questionId: "q1", role: "docs", question: "?" }, [backend, security]);
    expect(told).toEqual([
      { to: "backend-1", from: "coordinator", directive: expect.objectContaining({ topic: "unserved" }) },
    ]);
    r.ask(backend, { questionId: "q2", role: "security", question: "?" }, [backend, security]);
    clock.advance(999);
    expect(told).toHaveLength(2);
    clock.advance(1);
    expect(told[2]).toEqual({
      to: "backend-1",
      from: "coordinator",
      directive: expect.objectContaining({ topic: "unanswered", questionId: "q2" }),
    });
    expect(r.answer(security, { questionId: "q2", answer: "late" })).toBe(false);
  });

  it("cuts a flood off once, with an event, and carries nothing past the limit", () => {
    const { r, told, cuts } = router(2);
    for (let i = 0; i < 10; i++)
      r.ask(backend, { questionId: `q${i}`, role: "security", question: "?" }, [backend, security]);
    expect(told.filter((t) => t.directive.topic === "question")).toHaveLength(2);
    expect(told.filter((t) => t.directive.topic === "cut_off")).toHaveLength(1);
    expect(cuts).toEqual(["t-back:2"]);
  });
});
