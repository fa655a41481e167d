import { describe, expect, it } from "vitest";
import {
  dependencyLetsStart,
  dependencyOrder,
  orphanedDependents,
  withContracts,
} from "../../../../src/coordinator/goal/contract-dependencies.js";
import { readyTasks } from "../../../../src/coordinator/goal/goal-tasks.js";
import type { GoalContext } from "../../../../src/coordinator/goal/goal-types.js";
import type { ProvidedExport } from "../../../../src/protocol/index.js";
import { goalContext, type TaskRow } from "../../../helpers/goal-context.js";

const LOGIN: ProvidedExport = {
  path: "src/lib/auth.ts",
  symbol: "login",
  signature: "login(u: string): Promise<S>",
};

/** A test goal where the tasks named in `providers` declare the login contract. */
function withProvides(rows: TaskRow[], providers: string[]): GoalContext {
  const ctx = goalContext(rows);
  for (const id of providers) {
    const t = ctx.tasks[id];
    if (t) t.spec = { ...t.spec, provides: [LOGIN] };
  }
  return ctx;
}

const ready = (ctx: GoalContext) => readyTasks(ctx).map((t) => t.spec.taskId);

describe("dependents of a declared contract", () => {
  it("start once every provider with a contract is under way; without one they wait for acceptance", () => {
    const rows: TaskRow[] = [
      ["auth", "security", [], "dispatched"],
      ["plain", "backend", [], "dispatched"],
      ["ui", "frontend", ["auth"]],
      ["both", "frontend", ["auth", "plain"]],
    ];
    const ctx = withProvides(rows, ["auth"]);
    expect(ready(ctx)).toEqual(["ui"]);
    expect(dependencyLetsStart(ctx, "auth")).toBe(true);
    expect(dependencyLetsStart(ctx, "plain")).toBe(false);
    // The same plan without the contract: nothing is ready until auth is accepted.
    expect(ready(goalContext(rows))).toEqual([]);
  });

  it("do not start on a provider that is pending again, failed or rejected", () => {
    for (const status of ["pending", "failed", "rejected"] as const) {
      const ctx = withProvides(
        [
          ["auth", "security", [], status],
          ["ui", "frontend", ["auth"]],
        ],
        ["auth"],
      );
      expect(ready(ctx)).not.toContain("ui");
    }
  });

  it("get the contracts of their providers, and a provider its own, in the instructions they are sent", () => {
    const ctx = withProvides(
      [
        ["auth", "security", [], "dispatched"],
        ["ui", "frontend", ["auth"]],
      ],
      ["auth"],
    );
    const ui = withContracts(ctx, ctx.tasks.ui?.spec as never);
    expect(ui.instructions).toContain(
      "task auth (security) exports login(u: string): Promise<S> from src/lib/auth.ts",
    );
    const auth = withContracts(ctx, ctx.tasks.auth?.spec as never);
    expect(auth.instructions).toContain("This task declared that it provides");
    const plain = goalContext([["x", "docs", []]]);
    expect(withContracts(plain, plain.tasks.x?.spec as never)).toBe(plain.tasks.x?.spec);
  });

  it("an accepted dependent whose provider did not land is dropped with the reason, transitively", () => {
    const ctx = withProvides(
      [
        ["auth", "security", [], "rejected"],
        ["ui", "frontend", ["auth"], "accepted"],
        ["docs", "docs", ["ui"], "accepted"],
        ["solo", "backend", [], "accepted"],
      ],
      ["auth"],
    );
    const orphans = orphanedDependents(ctx);
    expect(orphans.map((o) => o.taskId)).toEqual(["ui", "docs"]);
    expect(orphans[0]?.reason).toContain("auth: rejected");
    expect(
      orphanedDependents(
        goalContext([
          ["a", "x", [], "accepted"],
          ["b", "y", ["a"], "accepted"],
        ]),
      ),
    ).toEqual([]);
  });

  it("merge order puts every provider before its dependents, else keeps plan order", () => {
    const ctx = goalContext([
      ["ui", "frontend", ["auth"]],
      ["solo", "backend", []],
      ["auth", "security", ["db"]],
      ["db", "backend", []],
    ]);
    expect(dependencyOrder(ctx)).toEqual(["db", "auth", "ui", "solo"]);
  });
});
