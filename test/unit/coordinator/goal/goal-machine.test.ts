import { describe, expect, it } from "vitest";
import { createActor, fromPromise, waitFor } from "xstate";
import { goalMachine } from "../../../../src/coordinator/goal/goal-machine.js";
import { stateName, statusOf } from "../../../../src/coordinator/goal/goal-status.js";
import { readyTasks } from "../../../../src/coordinator/goal/goal-tasks.js";
import type {
  GoalContext,
  SettleOutcome,
  TaskRecord,
  VerifyResult,
} from "../../../../src/coordinator/goal/goal-types.js";
import { type Proposal, SimulatedClock, type TaskSpec } from "../../../../src/protocol/index.js";
import { BASE, goalInput } from "../../../helpers/model-goal.js";

function spec(taskId: string, role: string, dependsOn: string[] = []): TaskSpec {
  return { taskId, role, title: taskId, instructions: "", expectedPaths: [], dependsOn };
}

function proposal(taskId: string, attempt: number): Proposal {
  return {
    proposalId: `${taskId}-${attempt}`,
    goalId: "g1",
    taskId,
    attempt,
    role: "x",
    agentId: "x-1",
    baseCommit: BASE,
    headCommit: "b".repeat(40),
    bundleKey: "k",
    changedPaths: ["f"],
    rationale: "",
    checks: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    partial: false,
  };
}

interface Script {
  plan: TaskSpec[];
  settle?: (ctx: GoalContext) => SettleOutcome;
  verify?: VerifyResult;
  dispatchWindow?: Record<string, number>;
  clock?: SimulatedClock;
}

function start(script: Script) {
  const clock = script.clock ?? new SimulatedClock();
  const dispatched: string[][] = [];
  const settled: number[] = [];
  const machine = goalMachine.provide({
    actors: {
      plan: fromPromise(async () => script.plan),
      // The real dispatch decision (goal-effects adds only the bus and the events).
      dispatch: fromPromise(async ({ input: ctx }: { input: GoalContext }) => {
        const at = clock.now();
        const taskIds = readyTasks(ctx).map((t) => t.spec.taskId);
        dispatched.push(taskIds);
        return { taskIds, at };
      }),
      settle: fromPromise(async ({ input: ctx }: { input: GoalContext }) => {
        settled.push(Object.keys(ctx.tasks).length);
        return script.settle?.(ctx) ?? { settlements: [], revise: [], reject: [] };
      }),
      merge: fromPromise(async ({ input: ctx }: { input: GoalContext }) => ({
        head: "c".repeat(40),
        merged: ctx.order.filter((id) => ctx.tasks[id]?.status === "accepted"),
        conflicts: [] as { id: string; files: string[] }[],
      })),
      verify: fromPromise(
        async () => script.verify ?? { passed: true, exitCode: 0, output: "ok", command: ["t"] },
      ),
    },
  });
  const input = script.dispatchWindow
    ? { ...goalInput(), dispatchWindow: script.dispatchWindow }
    : goalInput();
  const actor = createActor(machine, { input });
  actor.start();
  return { actor, dispatched, settled };
}

function accept(
  ctx: GoalContext,
  taskId: string,
): { type: "PROPOSAL.ACCEPTED"; taskId: string; record: TaskRecord } {
  const task = ctx.tasks[taskId] as TaskRecord;
  return {
    type: "PROPOSAL.ACCEPTED",
    taskId,
    record: { ...task, status: "accepted", proposal: proposal(taskId, task.attempt) },
  };
}

describe("goal machine", () => {
  it("plans, dispatches ready tasks, waits for every proposal, merges, verifies and ends done", async () => {
    const { actor, dispatched } = start({ plan: [spec("s", "security"), spec("d", "docs")] });
    await waitFor(actor, (s) => stateName(s.value) === "running.reviewing");
    expect(dispatched[0]).toEqual(["s", "d"]);
    expect(actor.getSnapshot().context.tasks.s?.attempt).toBe(1);
    actor.send(accept(actor.getSnapshot().context, "s"));
    await waitFor(actor, (s) => stateName(s.value) === "running.reviewing");
    expect(statusOf(actor.getSnapshot().value)).toBe("running");
    actor.send(accept(actor.getSnapshot().context, "d"));
    const final = await waitFor(actor, (s) => s.status === "done");
    expect(final.value).toBe("done");
    expect(final.context.merged).toEqual(["s", "d"]);
  });

  it("dispatches a dependent task only after its dependency is accepted", async () => {
    const { actor, dispatched } = start({ plan: [spec("a", "backend"), spec("b", "tests", ["a"])] });
    await waitFor(actor, (s) => stateName(s.value) === "running.reviewing");
    expect(dispatched[0]).toEqual(["a"]);
    actor.send(accept(actor.getSnapshot().context, "a"));
    await waitFor(actor, (s) => s.context.tasks.b?.status === "dispatched");
    expect(dispatched.at(-1)).toEqual(["b"]);
  });

  it("gives a role its next task once a proposal is received, and still takes that attempt's verdict", async () => {
    const { actor, dispatched } = start({
      plan: [spec("a1", "backend"), spec("a2", "backend"), spec("after", "docs", ["a1"])],
      dispatchWindow: { backend: 1 },
    });
    await waitFor(actor, (s) => stateName(s.value) === "running.reviewing");
    expect(dispatched).toEqual([["a1"]]);
    // A stale report (an earlier attempt) frees nothing.
    actor.send({ type: "PROPOSAL.RECEIVED", taskId: "a1", attempt: 0, at: 0 });
    expect(actor.getSnapshot().context.tasks.a1?.status).toBe("dispatched");
    actor.send({ type: "PROPOSAL.RECEIVED", taskId: "a1", attempt: 1, at: 0 });
    await waitFor(actor, (s) => s.context.tasks.a2?.status === "dispatched");
    expect(dispatched.at(-1)).toEqual(["a2"]);
    expect(actor.getSnapshot().context.tasks.a1?.status).toBe("proposed");
    // A proposed attempt is past failing: a late failure report changes nothing, the verdict still counts.
    actor.send({ type: "TASK.FAILED", taskId: "a1", attempt: 1, reason: "late" });
    expect(actor.getSnapshot().context.tasks.a1?.status).toBe("proposed");
    actor.send(accept(actor.getSnapshot().context, "a1"));
    await waitFor(actor, (s) => s.context.tasks.after?.status === "dispatched");
    expect(actor.getSnapshot().context.tasks.a1?.status).toBe("accepted");
  });

  it("retries a failed attempt with a new attempt, and ignores failures of stale attempts", async () => {
    const { actor } = start({ plan: [spec("a", "backend")] });
    await waitFor(actor, (s) => s.context.tasks.a?.status === "dispatched");
    actor.send({ type: "TASK.FAILED", taskId: "a", attempt: 7, reason: "stale" });
    expect(actor.getSnapshot().context.tasks.a?.attempt).toBe(1);
    actor.send({ type: "TASK.FAILED", taskId: "a", attempt: 1, reason: "worker crashed" });
    await waitFor(
      actor,
      (s) => s.context.tasks.a?.attempt === 2 && s.context.tasks.a.status === "dispatched",
    );
    expect(actor.getSnapshot().context.tasks.a?.reason).toBe("worker crashed");
  });

  it("sends the loser of a conflict back to revise on top of the winner, then merges", async () => {
    let rounds = 0;
    const { actor } = start({
      plan: [spec("s", "security"), spec("b", "backend")],
      settle: () =>
        rounds++ === 0
          ? {
              settlements: [
                { winner: "s", loser: "b", policy: "priority", reason: "security first", files: ["f"] },
              ],
              revise: [{ taskId: "b", base: "b".repeat(40), feedback: "redo on top" }],
              reject: [],
            }
          : { settlements: [], revise: [], reject: [] },
    });
    await waitFor(actor, (s) => stateName(s.value) === "running.reviewing");
    actor.send(accept(actor.getSnapshot().context, "s"));
    actor.send(accept(actor.getSnapshot().context, "b"));
    await waitFor(
      actor,
      (s) => s.context.tasks.b?.attempt === 2 && s.context.tasks.b.status === "dispatched",
    );
    const b = actor.getSnapshot().context.tasks.b as TaskRecord;
    expect(b.base).toBe("b".repeat(40));
    expect(b.revisions).toBe(1);
    expect(actor.getSnapshot().context.settlements).toHaveLength(1);
    actor.send(accept(actor.getSnapshot().context, "b"));
    const final = await waitFor(actor, (s) => s.status === "done");
    expect(final.value).toBe("done");
  });

  it("fails with the reason when the tests fail on the integration branch", async () => {
    const { actor } = start({
      plan: [spec("a", "backend")],
      verify: { passed: false, exitCode: 1, output: "boom", command: ["t"] },
    });
    await waitFor(actor, (s) => s.context.tasks.a?.status === "dispatched");
    actor.send(accept(actor.getSnapshot().context, "a"));
    const final = await waitFor(actor, (s) => s.status === "done");
    expect(final.value).toBe("failed");
    expect(final.context.reason).toContain("tests failed");
    expect(final.context.verify?.output).toBe("boom");
  });

  it("fails when no task produced an accepted proposal", async () => {
    const { actor } = start({ plan: [spec("a", "backend")] });
    await waitFor(actor, (s) => s.context.tasks.a?.status === "dispatched");
    actor.send({
      type: "PROPOSAL.REJECTED",
      taskId: "a",
      attempt: 1,
      reason: "wrote outside ownership",
      retry: false,
    });
    const final = await waitFor(actor, (s) => s.status === "done");
    expect(final.value).toBe("failed");
    expect(final.context.tasks.a?.status).toBe("rejected");
  });

  it("rejects the dependants of a rejected task instead of waiting forever", async () => {
    const { actor } = start({ plan: [spec("a", "backend"), spec("b", "tests", ["a"]), spec("c", "docs")] });
    await waitFor(actor, (s) => s.context.tasks.a?.status === "dispatched");
    actor.send({ type: "PROPOSAL.REJECTED", taskId: "a", attempt: 1, reason: "bad", retry: false });
    actor.send(accept(actor.getSnapshot().context, "c"));
    const final = await waitFor(actor, (s) => s.status === "done");
    expect(final.value).toBe("done");
    expect(final.context.merged).toEqual(["c"]);
  });

  it("starts a dependent against its provider's contract, and fails readably when the provider does not land", async () => {
    const provider = {
      ...spec("a", "backend"),
      provides: [{ path: "src/a.ts", symbol: "a", signature: "a(): number" }],
    };
    const { actor, dispatched } = start({ plan: [provider, spec("b", "tests", ["a"])] });
    await waitFor(actor, (s) => s.context.tasks.b?.status === "dispatched");
    expect(dispatched.slice(0, 2)).toEqual([["a"], ["b"]]);
    actor.send(accept(actor.getSnapshot().context, "b"));
    actor.send({ type: "TASK.FAILED", taskId: "a", attempt: 1, reason: "gave up" });
    await waitFor(
      actor,
      (s) => s.context.tasks.a?.status === "dispatched" && s.context.tasks.a.attempt === 2,
    );
    for (const attempt of [2, 3]) {
      actor.send({ type: "TASK.FAILED", taskId: "a", attempt, reason: "gave up" });
      if (attempt === 2) await waitFor(actor, (s) => s.context.tasks.a?.attempt === 3);
    }
    const final = await waitFor(actor, (s) => s.status === "done");
    expect(final.value).toBe("failed");
    expect(final.context.reason).toContain("a: gave up");
    expect(final.context.reason).toContain("b: it was built against a, which did not land");
  });

  it("ends cancelled from any running state", async () => {
    const { actor } = start({ plan: [spec("a", "backend")] });
    await waitFor(actor, (s) => s.context.tasks.a?.status === "dispatched");
    actor.send({ type: "CANCEL", reason: "user" });
    const final = await waitFor(actor, (s) => s.status === "done");
    expect(final.value).toBe("cancelled");
    expect(statusOf(final.value)).toBe("cancelled");
  });
});
