import { describe, expect, it } from "vitest";
import { describeEvent } from "../../../src/cli/event-format.js";
import { GuildEvent, makeEnvelope } from "../../../src/protocol/index.js";

function event(type: string, payload: unknown, source = "coordinator") {
  return GuildEvent.parse(makeEnvelope({ type, source, goalId: "g1", payload }));
}

describe("guild watch lines for live coordination", () => {
  it("says who told whom what and why", () => {
    const overlap = event("overlap.detected", {
      overlapId: "ov-1",
      kind: "export",
      path: "src/lib/auth.ts",
      symbol: "legacyHash",
      change: "removed",
      a: { taskId: "sec", role: "security", did: "removed export legacyHash from src/lib/auth.ts" },
      b: {
        taskId: "back",
        role: "backend",
        did: "uses legacyHash from src/lib/auth.ts in src/routes/user.ts",
      },
    });
    expect(describeEvent(overlap)).toBe(
      "sec (security) removed export legacyHash from src/lib/auth.ts ↔ back (backend) uses legacyHash from src/lib/auth.ts in src/routes/user.ts",
    );
    const told = event("peer.told", {
      agentId: "backend-1",
      taskId: "back",
      topic: "answer",
      from: "security",
      text: "Answer to question back-1-q1 from security: «use hash»",
      questionId: "back-1-q1",
    });
    expect(describeEvent(told)).toBe(
      "security → backend-1 [answer] Answer to question back-1-q1 from security: «use hash»",
    );
    const progress = event(
      "work.progress",
      {
        taskId: "sec",
        role: "security",
        agentId: "security-1",
        attempt: 1,
        seq: 2,
        files: [{ path: "src/lib/auth.ts", status: "modified", baseLines: [{ start: 4, end: 6 }] }],
        surface: [
          {
            path: "src/lib/auth.ts",
            symbol: "legacyHash",
            change: "removed",
            before: "function legacyHash()",
          },
          { path: "src/lib/auth.ts", symbol: "hashLegacy", change: "added", after: "function hashLegacy()" },
        ],
        uses: [],
      },
      "security-1",
    );
    expect(describeEvent(progress)).toBe("sec: 1 file(s); exports -legacyHash +hashLegacy");
  });
});
