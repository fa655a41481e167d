import { describe, expect, it } from "vitest";
import { parseSince, watchSubject } from "../../../src/cli/commands/watch.js";
import { formatEvent, GoalProgress } from "../../../src/cli/event-format.js";
import { GuildEvent, makeEnvelope } from "../../../src/protocol/index.js";

function event(type: string, payload: unknown, source = "coordinator") {
  return GuildEvent.parse(
    makeEnvelope({ type, source, goalId: "g1", payload, time: new Date("2026-01-02T03:04:05Z") }),
  );
}

describe("guild watch filters", () => {
  it("narrows the subject by goal and type, and leaves role to the source filter", () => {
    expect(watchSubject({})).toBe("guild.evt.*.*.>");
    expect(watchSubject({ goal: "g1" })).toBe("guild.evt.g1.*.>");
    expect(watchSubject({ goal: "g1", type: "proposal.*" })).toBe("guild.evt.g1.*.proposal.*");
  });

  it("parses --since as a sequence, a duration ago, or a date, and rejects anything else", () => {
    const now = Date.parse("2026-01-02T03:00:00Z");
    expect(parseSince("#42", now)).toEqual({ fromSeq: 42 });
    expect(parseSince("10m", now).fromTime?.toISOString()).toBe("2026-01-02T02:50:00.000Z");
    expect(parseSince("2h", now).fromTime?.toISOString()).toBe("2026-01-02T01:00:00.000Z");
    expect(parseSince("2026-01-01T00:00:00Z").fromTime?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(() => parseSince("yesterday-ish")).toThrow(/--since/);
  });
});

describe("event lines", () => {
  it("prints time, source, type and a readable summary", () => {
    const line = formatEvent(
      event("conflict.settled", {
        winner: "security-security",
        loser: "backend-security",
        policy: "priority",
        reason: "role priority ranks security above backend",
        files: ["src/a.ts"],
      }),
    );
    expect(line).toBe(
      "03:04:05 coordinator    conflict.settled           security-security wins over backend-security by priority: role priority ranks security above backend",
    );
  });

  it("counts tasks through their life for the progress line", () => {
    const p = new GoalProgress();
    p.update(
      event("plan.created", {
        planner: "rules",
        tasks: [
          { taskId: "a", role: "security", title: "a", instructions: "", expectedPaths: [], dependsOn: [] },
          { taskId: "b", role: "docs", title: "b", instructions: "", expectedPaths: [], dependsOn: [] },
        ],
      }),
    );
    expect(p.line()).toBe("progress: 2 task(s) — 2 planned");
    expect(
      p.update(event("task.claimed", { taskId: "a", agentId: "security-1", attempt: 1 }, "security-1")),
    ).toBe(true);
    p.update(event("proposal.accepted", { proposalId: "b-1", taskId: "b", reason: "ok" }));
    expect(p.line()).toBe("progress: 2 task(s) — 1 working, 1 accepted");
  });
});
