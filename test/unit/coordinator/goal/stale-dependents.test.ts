import { describe, expect, it } from "vitest";
import { applySettlement } from "../../../../src/coordinator/goal/goal-decisions.js";
import type { GoalContext, TaskRecord } from "../../../../src/coordinator/goal/goal-types.js";
import { goalContext } from "../../../helpers/goal-context.js";

const HEAD = "c".repeat(40);

/** A goal where `sec` was accepted, `docs` (depends on sec) started from sec's head, `web` conflicted. */
function built(docsStatus: TaskRecord["status"], docsBase: "head" | "goal" = "head"): GoalContext {
  const ctx = goalContext([
    ["sec", "security", [], "accepted"],
    ["web", "frontend", [], "accepted"],
    ["docs", "docs", ["sec"], docsStatus],
    ["notes", "docs", ["docs"], "dispatched"],
    ["api", "backend", [], "accepted"],
  ]);
  const docs = ctx.tasks.docs as TaskRecord;
  if (docsBase === "head") ctx.tasks.docs = { ...docs, base: HEAD, attempt: 1 };
  const notes = ctx.tasks.notes as TaskRecord;
  ctx.tasks.notes = { ...notes, base: "d".repeat(40) };
  return ctx;
}

const settled = (ctx: GoalContext, outcome: Partial<Parameters<typeof applySettlement>[1]>) =>
  applySettlement(ctx, { settlements: [], revise: [], reject: [], ...outcome }).tasks as Record<
    string,
    TaskRecord
  >;

describe("dependents built on a head that is sent back", () => {
  it("go back to pending on the goal's base, transitively, when their dependency loses a settlement", () => {
    const ctx = built("accepted");
    const tasks = settled(ctx, {
      revise: [{ taskId: "sec", base: "e".repeat(40), feedback: "redo on top" }],
    });
    expect(tasks.sec?.status).toBe("pending");
    expect(tasks.docs).toMatchObject({ status: "pending", base: ctx.baseCommit, revisions: 0 });
    expect(tasks.docs?.reason).toContain("sec");
    expect(tasks.notes).toMatchObject({ status: "pending", base: ctx.baseCommit });
    expect(tasks.api?.status).toBe("accepted");
    expect(tasks.web?.status).toBe("accepted");
  });

  it("also when their dependency is dropped, so its commits never reach the branch through them", () => {
    const tasks = settled(built("proposed"), { reject: [{ taskId: "sec", reason: "lost" }] });
    expect(tasks.docs?.status).toBe("pending");
  });

  it("leave a dependent that started from the goal's base (a contract's early start) alone", () => {
    const ctx = built("dispatched", "goal");
    const tasks = settled(ctx, { revise: [{ taskId: "sec", base: "e".repeat(40), feedback: "redo" }] });
    expect(tasks.docs?.status).toBe("dispatched");
  });

  it("change nothing when no dependency was displaced", () => {
    const ctx = built("accepted");
    const tasks = settled(ctx, { revise: [{ taskId: "web", base: "e".repeat(40), feedback: "redo" }] });
    expect(tasks.docs?.status).toBe("accepted");
    expect(tasks.notes?.status).toBe("dispatched");
  });
});
