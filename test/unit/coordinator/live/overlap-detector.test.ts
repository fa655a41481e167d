import { describe, expect, it } from "vitest";
import { OverlapDetector, overlapDirectives } from "../../../../src/coordinator/live/index.js";
import type { WorkProgress } from "../../../../src/protocol/index.js";

function progress(taskId: string, role: string, seq: number, more: Partial<WorkProgress>): WorkProgress {
  return {
    taskId,
    role,
    agentId: `${role}-1`,
    attempt: 1,
    seq,
    files: [],
    surface: [],
    uses: [],
    truncated: 0,
    ...more,
  };
}

const AUTH = "src/lib/auth.ts";
const removal = progress("t-sec", "security", 1, {
  files: [{ path: AUTH, status: "modified", baseLines: [{ start: 10, end: 14 }] }],
  surface: [
    {
      path: AUTH,
      symbol: "legacyHash",
      change: "removed",
      before: "function legacyHash(text: string): string",
    },
  ],
});
const caller = progress("t-back", "backend", 1, {
  files: [{ path: "src/routes/user.ts", status: "modified", baseLines: [{ start: 3, end: 3 }] }],
  uses: [{ path: AUTH, symbol: "legacyHash", in: "src/routes/user.ts" }],
});

describe("overlap detector", () => {
  it("raises one overlap when a task removes an export another task's changes use, whichever reports first", () => {
    for (const [first, second] of [
      [removal, caller],
      [caller, removal],
    ] as const) {
      const detector = new OverlapDetector();
      expect(detector.update(first)).toEqual([]);
      const found = detector.update(second);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        kind: "export",
        path: AUTH,
        symbol: "legacyHash",
        change: "removed",
        a: { taskId: "t-sec", role: "security", did: expect.stringContaining("removed export legacyHash") },
        b: {
          taskId: "t-back",
          role: "backend",
          did: "uses legacyHash from src/lib/auth.ts in src/routes/user.ts",
        },
      });
      // Later progress of either side raises nothing new for the same pair and symbol.
      expect(detector.update({ ...second, seq: 2 })).toEqual([]);
      expect(detector.update({ ...first, seq: 2 })).toEqual([]);
    }
  });

  it("names a rename when a same-shaped export replaces the removed one, and a changed signature as changed", () => {
    const detector = new OverlapDetector();
    detector.update(caller);
    const renamed = detector.update({
      ...removal,
      surface: [
        ...removal.surface,
        {
          path: AUTH,
          symbol: "hashLegacy",
          change: "added",
          after: "function hashLegacy(text: string): string",
        },
      ],
    });
    expect(renamed[0]).toMatchObject({ change: "renamed", renamedTo: "hashLegacy" });
    const directive = overlapDirectives(renamed[0] as never).b;
    expect(directive.overlap).toEqual({
      path: AUTH,
      symbol: "legacyHash",
      change: "renamed",
      renamedTo: "hashLegacy",
    });
    expect(directive.text).toContain("use hashLegacy instead of legacyHash");
    expect(directive.text).toMatch(/adapt.*keep to the old shape.*ask/);

    const other = new OverlapDetector();
    other.update(caller);
    const changed = other.update({
      ...removal,
      surface: [
        {
          path: AUTH,
          symbol: "legacyHash",
          change: "changed",
          before: "function legacyHash(text: string): string",
          after: "function legacyHash(text: string, salt: string): string",
        },
      ],
    });
    expect(changed[0]).toMatchObject({ change: "changed" });
    expect(changed[0]?.a.did).toContain("legacyHash(text: string, salt: string)");
  });

  it("raises nothing for unrelated code: other symbols, added exports, other lines, the same task, an older snapshot", () => {
    const detector = new OverlapDetector();
    detector.update(removal);
    expect(
      detector.update(progress("t-x", "backend", 1, { uses: [{ path: AUTH, symbol: "hash", in: "a.ts" }] })),
    ).toEqual([]);
    expect(
      detector.update(
        progress("t-y", "frontend", 1, {
          surface: [{ path: AUTH, symbol: "fresh", change: "added", after: "const fresh" }],
          files: [{ path: AUTH, status: "modified", baseLines: [{ start: 20, end: 22 }] }],
        }),
      ),
    ).toEqual([]);
    expect(
      detector.update({ ...removal, seq: 2, uses: [{ path: AUTH, symbol: "legacyHash", in: AUTH }] }),
    ).toEqual([]);
    // A snapshot older than the one held is ignored, so it cannot bring back a use that is gone.
    detector.update({ ...caller, seq: 3, uses: [] });
    expect(detector.update({ ...caller, seq: 2 })).toEqual([]);
  });

  it("raises overlapping lines of one file once per pair and file, and forgets a failed task", () => {
    const detector = new OverlapDetector();
    const a = progress("t-a", "backend", 1, {
      files: [{ path: "src/app.ts", status: "modified", baseLines: [{ start: 5, end: 9 }] }],
    });
    const b = progress("t-b", "security", 1, {
      files: [{ path: "src/app.ts", status: "modified", baseLines: [{ start: 9, end: 12 }] }],
    });
    detector.update(a);
    const found = detector.update(b);
    expect(found).toEqual([
      expect.objectContaining({ kind: "lines", path: "src/app.ts", lines: { start: 9, end: 9 } }),
    ]);
    expect(
      detector.update({
        ...b,
        seq: 2,
        files: [{ path: "src/app.ts", status: "modified", baseLines: [{ start: 6, end: 7 }] }],
      }),
    ).toEqual([]);
    detector.forget("t-b");
    expect(detector.size).toBe(1);
  });

  it("does not warn a task whose base already holds the other task's change", () => {
    const detector = new OverlapDetector((user, other) => user === "t-back" && other === "t-sec");
    detector.update(removal);
    expect(detector.update(caller)).toEqual([]);
  });
});
