import { fromPromise } from "xstate";
import type { Bus, EventEmitter } from "../bus/index.js";
import { createWorkspace, detectConflicts, mergeIntoIntegration, removeWorkspace } from "../git/index.js";
import type { Ownership } from "../ownership/index.js";
import { makeEnvelope, subjects, TaskAssignment, type TaskSpec } from "../protocol/index.js";
import { blockedTasks, goalMachine, readyTasks } from "./goal-machine.js";
import type { GoalContext, MergeOutcome, SettleOutcome, TaskRecord, VerifyResult } from "./goal-types.js";
import { planWithRules } from "./planner-rules.js";
import { runCheck } from "./run-check.js";
import { type ConflictPair, settleConflicts } from "./settle-conflicts.js";

export interface EffectDeps {
  bus: Bus;
  events: EventEmitter;
  ownership: Ownership;
  extraPath?: string[];
}

/** Binds the goal machine's side effects (plan, dispatch, settle, merge, verify) to the bus and git. */
export function provideGoalEffects(deps: EffectDeps) {
  const { bus, events, ownership } = deps;
  const { config, matcher } = ownership;

  async function plan(ctx: GoalContext): Promise<TaskSpec[]> {
    const tasks = ctx.preparedPlan ?? planWithRules(ctx.text, config);
    if (tasks.length === 0) throw new Error("the plan is empty: no role with a skill owns any path");
    const unowned = tasks.flatMap((t) =>
      t.expectedPaths.filter((p) => matcher.rolesOf(p.replace(/\*+/g, "x")).length === 0),
    );
    if (unowned.length > 0 && !config.defaultOwner) {
      await events.emit(
        "error.raised",
        {
          code: "plan.invalid",
          message: `expected paths with no owner: ${unowned.join(", ")}`,
          context: "plan",
        },
        ctx.goalId,
      );
    }
    await events.emit(
      "plan.created",
      { tasks, planner: ctx.preparedPlan ? "prepared" : "rules" },
      ctx.goalId,
    );
    return tasks;
  }

  async function dispatch(ctx: GoalContext): Promise<string[]> {
    const ready = readyTasks(ctx);
    for (const task of ready) {
      const attempt = task.attempt + 1;
      const message = TaskAssignment.parse(
        makeEnvelope({
          type: "task.assigned",
          source: "coordinator",
          goalId: ctx.goalId,
          payload: {
            task: task.spec,
            goalId: ctx.goalId,
            goalText: ctx.text,
            attempt,
            repo: ctx.repo,
            baseCommit: task.base,
            ...(task.reason && task.attempt > 0 ? { feedback: task.reason } : {}),
          },
        }),
      );
      await bus.enqueue("tasks", subjects.task(task.spec.role), message, {
        msgId: `${ctx.goalId}.${task.spec.taskId}.${attempt}`,
      });
      await events.emit(
        "task.dispatched",
        { taskId: task.spec.taskId, role: task.spec.role, attempt },
        ctx.goalId,
      );
    }
    return ready.map((t) => t.spec.taskId);
  }

  async function settle(ctx: GoalContext): Promise<SettleOutcome> {
    const withCommits = acceptedWithCommits(ctx);
    const report = await detectConflicts(
      ctx.repo,
      withCommits.map((t) => ({ id: t.spec.taskId, base: t.base, head: t.proposal?.headCommit as string })),
    );
    const pairs: ConflictPair[] = report.conflicts.map((c) => ({ a: c.ids[0], b: c.ids[1], files: c.files }));
    for (const pair of pairs)
      await events.emit("conflict.detected", { taskIds: [pair.a, pair.b], files: pair.files }, ctx.goalId);
    const outcome = settleConflicts(pairs, ctx.tasks, config, matcher);
    for (const blocked of blockedTasks(ctx)) {
      outcome.reject.push({ taskId: blocked.spec.taskId, reason: "a task it depends on did not succeed" });
    }
    for (const s of outcome.settlements) await events.emit("conflict.settled", s, ctx.goalId);
    for (const r of outcome.revise) {
      const t = ctx.tasks[r.taskId] as TaskRecord;
      await events.emit(
        "proposal.revision_requested",
        {
          proposalId: t.proposal?.proposalId ?? r.taskId,
          taskId: r.taskId,
          attempt: t.attempt + 1,
          reason: r.feedback,
        },
        ctx.goalId,
      );
    }
    return outcome;
  }

  async function merge(ctx: GoalContext): Promise<MergeOutcome> {
    const entries = acceptedWithCommits(ctx).map((t) => ({
      id: t.spec.taskId,
      head: t.proposal?.headCommit as string,
      taskId: t.spec.taskId,
      role: t.spec.role,
      decision: t.reason ?? "accepted: within ownership, no conflict",
      title: t.spec.title,
    }));
    const result = await mergeIntoIntegration(ctx.repo, {
      goalId: ctx.goalId,
      base: ctx.baseCommit,
      entries,
    });
    for (const id of result.merged) {
      await events.emit(
        "merge.completed",
        { taskId: id, commit: result.head, branch: result.branch },
        ctx.goalId,
      );
    }
    return { head: result.head, merged: result.merged, conflicts: result.conflicts };
  }

  async function verify(ctx: GoalContext): Promise<VerifyResult> {
    const command = config.testCommand;
    if (!command) {
      await events.emit(
        "verify.finished",
        { passed: true, exitCode: 0, output: "no testCommand configured" },
        ctx.goalId,
      );
      return { passed: true, exitCode: 0, output: "no testCommand configured", command: [] };
    }
    await events.emit("verify.started", { command }, ctx.goalId);
    const ws = await createWorkspace({
      repoDir: ctx.repo,
      goalId: ctx.goalId,
      taskId: `verify-${Date.now().toString(36)}`,
      baseCommit: ctx.integrationHead ?? ctx.baseCommit,
    });
    try {
      const run = await runCheck(command, {
        cwd: ws.dir,
        ...(deps.extraPath ? { extraPath: deps.extraPath } : {}),
      });
      const result = { passed: run.exitCode === 0, exitCode: run.exitCode, output: run.output, command };
      await events.emit(
        "verify.finished",
        { passed: result.passed, exitCode: run.exitCode, output: run.output.slice(-8000) },
        ctx.goalId,
      );
      return result;
    } finally {
      await removeWorkspace(ws).catch(() => undefined);
    }
  }

  return goalMachine.provide({
    actors: {
      plan: fromPromise(({ input }) => plan(input)),
      dispatch: fromPromise(({ input }) => dispatch(input)),
      settle: fromPromise(({ input }) => settle(input)),
      merge: fromPromise(({ input }) => merge(input)),
      verify: fromPromise(({ input }) => verify(input)),
    },
  });
}

/** Accepted tasks that changed something, in plan order. */
export function acceptedWithCommits(ctx: GoalContext): TaskRecord[] {
  return ctx.order
    .map((id) => ctx.tasks[id] as TaskRecord)
    .filter((t) => t.status === "accepted" && t.proposal && t.proposal.bundleKey !== null);
}
