import { fromPromise } from "xstate";
import type { Bus, EventEmitter } from "../../bus/index.js";
import {
  detectConflicts,
  type FileReport,
  type IncrementalMerge,
  mergeIntoIntegration,
  objectStoreId,
  proposalDiff,
  repoId,
} from "../../git/index.js";
import type { Ownership } from "../../ownership/index.js";
import {
  type Clock,
  makeEnvelope,
  subjects,
  systemClock,
  TaskAssignment,
  type TaskSpec,
} from "../../protocol/index.js";
import { sandboxPolicy } from "../../sandbox/index.js";
import { planGoal } from "../plan/index.js";
import { arbitrateConflict, type ConflictPair, settleConflicts } from "../settle/index.js";
import { orphanedDependents, withContracts } from "./contract-dependencies.js";
import { nextDecisionId } from "./goal-decisions.js";
import { type DispatchOutcome, type GoalEvent, goalMachine } from "./goal-machine.js";
import { blockedTasks, chainDepths, readyTasks } from "./goal-tasks.js";
import type { GoalContext, MergeOutcome, SettleOutcome, TaskRecord } from "./goal-types.js";
import { publishBaseBundles, taskBase } from "./task-bases.js";
import { UNSERVED_WAIT_MS, watchUnserved } from "./unserved-watch.js";
import { acceptedWithCommits, createVerifier, mergeEntries } from "./verify-integration.js";

export interface EffectDeps {
  bus: Bus;
  events: EventEmitter;
  ownership: Ownership;
  extraPath?: string[];
  /** The goal's merge prepared while it runs; used when it holds exactly the entries to merge. */
  premerge?: IncrementalMerge;
  /** Dispatch times read it (default: the system clock). */
  clock?: Clock;
  /** Sends to the goal's actor (bound once it exists): how an unserved task's wait ends in its failure. */
  send?: (event: GoalEvent) => void;
}

/** Binds the goal machine's side effects (plan, dispatch, settle, merge, verify) to the bus and git. */
export function provideGoalEffects(deps: EffectDeps) {
  const { bus, events, ownership } = deps;
  const { config, matcher } = ownership;
  const clock = deps.clock ?? systemClock;

  async function plan(ctx: GoalContext): Promise<TaskSpec[]> {
    // Prepared plan, else the LLM planner (over the bus) when configured, else the rules; all checked.
    const planned = await planGoal({
      text: ctx.text,
      repo: ctx.repo,
      ownership,
      prepared: ctx.preparedPlan,
      bus,
      events,
      goalId: ctx.goalId,
    });
    return planned.tasks;
  }

  async function dispatch(ctx: GoalContext): Promise<DispatchOutcome> {
    const at = clock.now();
    const ready = readyTasks(ctx);
    const depth = chainDepths(ctx);
    // Agents working in a worktree of this repository commit straight into its object store (unless
    // GUILD_SHARED_OBJECTS=0: every proposal then travels as a bundle, as from another machine).
    const shareObjects = ready.length > 0 && process.env.GUILD_SHARED_OBJECTS !== "0";
    const objectStore = shareObjects ? await objectStoreId(ctx.repo).catch(() => undefined) : undefined;
    // Agents without this repository keep a mirror by its id and fetch each task's base as bundles.
    const repository = ready.length > 0 ? await repoId(ctx.repo, ctx.baseCommit) : "";
    const bases: Record<string, string> = {};
    for (const task of ready) {
      const attempt = task.attempt + 1;
      const base = await taskBase(ctx, task);
      if (base !== task.base) bases[task.spec.taskId] = base;
      const baseBundles = await publishBaseBundles(
        bus,
        {
          goalId: ctx.goalId,
          repo: ctx.repo,
          repoId: repository,
          goalBase: ctx.baseCommit,
          retry: task.attempt > 0,
        },
        base,
      );
      const message = TaskAssignment.parse(
        makeEnvelope({
          type: "task.assigned",
          source: "coordinator",
          goalId: ctx.goalId,
          payload: {
            task: withContracts(ctx, task.spec),
            goalId: ctx.goalId,
            goalText: ctx.text,
            attempt,
            repoId: repository,
            baseCommit: base,
            baseBundles,
            priority: depth.get(task.spec.taskId) ?? 1,
            ...(objectStore ? { objectStore, repo: ctx.repo } : {}),
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
    // In the background: the dispatch is recorded at once, so a quick agent's proposal never meets a task
    // that still looks undispatched while presence is read.
    void watchUnserved(
      {
        presence: bus.presence,
        kv: bus.kv,
        events,
        clock,
        waitMs: config.unservedWaitMs ?? UNSERVED_WAIT_MS,
        ...(deps.send ? { send: deps.send } : {}),
      },
      ctx.goalId,
      ready.map((t) => ({ taskId: t.spec.taskId, role: t.spec.role, attempt: t.attempt + 1 })),
    ).catch(() => undefined);
    return {
      taskIds: ready.map((t) => t.spec.taskId),
      at,
      ...(Object.keys(bases).length > 0 ? { bases } : {}),
    };
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
    outcome.reject.push(...orphanedDependents(ctx));
    outcome.decisions = [];
    for (const pair of outcome.undecided) {
      const files = report.pairs.find((p) => p.a === pair.a && p.b === pair.b)?.files ?? [];
      const decided = await settleUndecided(ctx, pair, files, outcome);
      if (decided) continue;
      const [a, b] = [ctx.tasks[pair.a] as TaskRecord, ctx.tasks[pair.b] as TaskRecord];
      const reason = `no policy in [${config.settlement.join(", ")}] could decide between ${a.spec.role} and ${b.spec.role}; a person must choose`;
      const side = async (t: TaskRecord) =>
        `### ${t.spec.taskId} (${t.spec.role})\n${await proposalDiff(ctx.repo, t.base, t.proposal?.headCommit as string, { paths: pair.files, maxChars: 10_000 })}`;
      const decision = {
        id: nextDecisionId(ctx, outcome.decisions.length),
        kind: "conflict" as const,
        taskIds: [pair.a, pair.b],
        paths: pair.files,
        reason,
        diff: `${await side(a)}\n${await side(b)}`,
        createdAt: new Date().toISOString(),
      };
      outcome.decisions.push(decision);
      await events.emit(
        "decision.requested",
        {
          decisionId: decision.id,
          kind: decision.kind,
          taskIds: decision.taskIds,
          paths: decision.paths,
          reason,
        },
        ctx.goalId,
      );
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

  /** The asynchronous steps of the chain before a person: the LLM arbiter, when one is configured and answers. */
  async function settleUndecided(
    ctx: GoalContext,
    pair: ConflictPair,
    files: FileReport[],
    outcome: SettleOutcome,
  ): Promise<boolean> {
    const [a, b] = [ctx.tasks[pair.a] as TaskRecord, ctx.tasks[pair.b] as TaskRecord];
    if (config.settlement.includes("arbiter")) {
      const arbitration = await arbitrateConflict(
        {
          bus,
          repo: ctx.repo,
          goalId: ctx.goalId,
          goalText: ctx.text,
          canRevise: config.settlement.includes("revise"),
        },
        a,
        b,
        pair,
        files,
        outcome,
      );
      if (arbitration.settled) return true;
      await events.emit(
        "error.raised",
        {
          code: "brain.failed",
          message: `arbiter: ${arbitration.why}`,
          context: `settling ${pair.a} vs ${pair.b}`,
        },
        ctx.goalId,
      );
    }
    if (!config.settlement.includes("human")) {
      const reason = `no policy in [${config.settlement.join(", ")}] could decide; ${b.spec.taskId} is dropped`;
      outcome.reject.push({ taskId: pair.b, reason });
      outcome.settlements.push({ winner: pair.a, loser: pair.b, policy: "none", reason, files: pair.files });
      return true;
    }
    return false;
  }

  async function merge(ctx: GoalContext): Promise<MergeOutcome> {
    const entries = mergeEntries(ctx);
    // Prepared in the order proposals were accepted: a dependent accepted before its provider (it started
    // against a contract) made it in another order than the dependency order merged here.
    const ready = await deps.premerge?.preparedFor(entries);
    const prepared = ready?.merged.every((id, i) => entries[i]?.id === id) ? ready : undefined;
    const result = await mergeIntoIntegration(ctx.repo, {
      goalId: ctx.goalId,
      base: ctx.baseCommit,
      entries,
      fromScratch: true,
      ...(prepared ? { prepared } : {}),
    });
    for (const id of result.merged) {
      await events.emit(
        "merge.completed",
        { taskId: id, commit: result.commits[id] ?? result.head, branch: result.branch },
        ctx.goalId,
      );
    }
    return { head: result.head, merged: result.merged, conflicts: result.conflicts };
  }

  const verify = createVerifier({
    events,
    testCommand: config.testCommand,
    // The project's test command is no role's: the top-level `sandbox:` confines it (bubblewrap unless `none`).
    sandbox: sandboxPolicy(config.sandbox),
    ...(deps.extraPath ? { extraPath: deps.extraPath } : {}),
  });

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
