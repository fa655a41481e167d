import { describe, expect, it } from "vitest";
import { dispatchWindowOf, readyTasks } from "../../../../src/coordinator/goal/goal-tasks.js";
import type { GoalContext, TaskStatus } from "../../../../src/coordinator/goal/goal-types.js";
import { GuildConfig } from "../../../../src/protocol/index.js";
import { goalContext } from "../../../helpers/goal-context.js";

const context = goalContext;

const ids = (ctx: GoalContext) => readyTasks(ctx).map((t) => t.spec.taskId);

describe("which tasks are dispatched next", () => {
  it("puts the head of the longest chain first, then plan order", () => {
    const ctx = context([
      ["solo1", "backend", []],
      ["head", "backend", []],
      ["mid", "frontend", ["head"]],
      ["tail", "docs", ["mid"]],
      ["short", "backend", []],
      ["after-short", "docs", ["short"]],
      ["solo2", "backend", []],
    ]);
    expect(ids(ctx)).toEqual(["head", "short", "solo1", "solo2"]);
  });

  it("keeps a role within its window, counting tasks already dispatched, and leaves other roles alone", () => {
    const ctx = context(
      [
        ["running", "backend", [], "dispatched"],
        ["done", "backend", [], "accepted"],
        ["b1", "backend", []],
        ["b2", "backend", []],
        ["b3", "backend", []],
        ["f1", "frontend", []],
        ["f2", "frontend", []],
      ],
      { backend: 3 },
    );
    expect(ids(ctx)).toEqual(["b1", "b2", "f1", "f2"]);
  });

  it("frees a role's slot when its agent's proposal is received, before the verdict", () => {
    const ctx = context(
      [
        ["in-review", "backend", [], "proposed"],
        ["working", "backend", [], "dispatched"],
        ["b1", "backend", []],
        ["b2", "backend", []],
        ["after-review", "docs", ["in-review"]],
      ],
      { backend: 2 },
    );
    // One agent is busy, the other proposed and is free; the dependent waits for the verdict.
    expect(ids(ctx)).toEqual(["b1"]);
  });

  it("keeps a slot for a chain step that waits only on a review, not for one that waits on work", () => {
    const plan = (depStatus: TaskStatus): Parameters<typeof context>[0] => [
      ["busy", "backend", [], "dispatched"],
      ["solo", "backend", []],
      ["step1", "frontend", [], depStatus],
      ["step2", "backend", ["step1"]],
      ["step3", "docs", ["step2"]],
    ];
    // step1's proposal is in review: step2 is ready within a review's time and goes before `solo`.
    expect(ids(context(plan("proposed"), { backend: 2 }))).toEqual([]);
    // step1 is still being worked on: holding the agent could idle it for a whole task.
    expect(ids(context(plan("dispatched"), { backend: 2 }))).toEqual(["solo"]);
    // A second free slot still goes to `solo`; a role without a window is never held.
    expect(ids(context(plan("proposed"), { backend: 3 }))).toEqual(["solo"]);
    expect(ids(context(plan("proposed")))).toEqual(["solo"]);
  });

  it("does not keep a slot for a task in review's wake that is less critical than a ready one", () => {
    const ctx = context(
      [
        ["head", "backend", []],
        ["mid", "frontend", ["head"]],
        ["tail", "docs", ["mid"]],
        ["reviewed", "docs", [], "proposed"],
        ["after", "backend", ["reviewed"]],
      ],
      { backend: 1 },
    );
    expect(ids(ctx)).toEqual(["head"]);
  });

  it("lets a chain's next step overtake independent tasks waiting for the same role", () => {
    // The backend window is full of independent work; when a slot frees, the chain step goes first.
    const ctx = context(
      [
        ["i1", "backend", [], "accepted"],
        ["i2", "backend", [], "dispatched"],
        ["i3", "backend", []],
        ["i4", "backend", []],
        ["step1", "docs", [], "accepted"],
        ["step2", "backend", ["step1"]],
        ["step3", "docs", ["step2"]],
      ],
      { backend: 2 },
    );
    expect(ids(ctx)).toEqual(["step2"]);
  });

  it("derives the window from guild.yaml: the replicas a role declares; a role without them is not limited", () => {
    const config = GuildConfig.parse({ roles: { backend: { replicas: 3 }, docs: {} } });
    expect(dispatchWindowOf(config)).toEqual({ backend: 3 });
  });
});
