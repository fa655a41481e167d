import { describe, expect, it } from "vitest";
import type { GoalRecord } from "../../../src/cli/client/index.js";
import { statusLine } from "../../../src/cli/commands/status.js";

function goal(status: string, state: string, statuses: string[], reason?: string): GoalRecord {
  return {
    goalId: "g-1",
    status,
    state,
    updatedAt: "2026-01-01T00:00:00Z",
    context: {
      text: "do it",
      tasks: Object.fromEntries(statuses.map((s, i) => [`t${i}`, { status: s, spec: { role: "docs" } }])),
      ...(reason ? { reason } : {}),
    },
  };
}

describe("guild status lines", () => {
  it("says a failed goal's state once and its tasks by outcome, not as accepted progress", () => {
    const line = statusLine(goal("failed", "failed", ["accepted", "accepted", "failed"], "tests failed"));
    expect(line).toBe('g-1  failed      3 task(s): 2 accepted, 1 failed  "do it"  — tests failed');
    expect(line.match(/failed/g)?.length).toBe(3);
  });

  it("counts accepted tasks of a done goal, and shows the machine state only when it says more", () => {
    expect(statusLine(goal("done", "done", ["accepted", "accepted"]))).toBe(
      'g-1  done        2/2 tasks accepted  "do it"',
    );
    expect(statusLine(goal("running", "running.reviewing", ["accepted", "dispatched"]))).toContain(
      "running (running.reviewing)  2 task(s): 1 accepted, 1 dispatched",
    );
  });
});
