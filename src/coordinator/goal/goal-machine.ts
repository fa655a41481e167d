import { assign, fromPromise, setup } from "xstate";
import type { TaskSpec } from "../../protocol/index.js";
import { orphanedDependents } from "./contract-dependencies.js";
import { applyCulprit, applySettlement, type DecisionResolution, resolveDecision } from "./goal-decisions.js";
import { addTasks, allSettled, isCurrent, readyTasks, updateTask } from "./goal-tasks.js";
import type {
  Decision,
  GoalContext,
  MergeOutcome,
  SettleOutcome,
  TaskRecord,
  VerifyResult,
} from "./goal-types.js";

export type GoalEvent =
  | { type: "PROPOSAL.RECEIVED"; taskId: string; attempt: number; at: number }
  | { type: "PROPOSAL.ACCEPTED"; taskId: string; record: TaskRecord; newTasks?: TaskSpec[] }
  | {
      type: "PROPOSAL.AWAITING";
      taskId: string;
      record: TaskRecord;
      decision: Decision;
      newTasks?: TaskSpec[];
    }
  | ({ type: "DECISION.RESOLVED" } & DecisionResolution)
  | {
      type: "PROPOSAL.REJECTED";
      taskId: string;
      attempt: number;
      reason: string;
      retry: boolean;
      /** The refused proposal's head, when its content was refused: a resubmission of it is not retried. */
      head?: string;
    }
  | { type: "TASK.FAILED"; taskId: string; attempt: number; reason: string }
  /** No agent of the task's role came to claim the attempt: retrying would wait just the same. */
  | { type: "TASK.UNSERVED"; taskId: string; attempt: number; reason: string }
  | { type: "CANCEL"; reason: string };

/** What a dispatch did: the tasks it sent out and the clock time it did so. */
export interface DispatchOutcome {
  taskIds: string[];
  at: number;
  /** Tasks sent out from another base than their record's (a dependent starts from its dependencies' merge). */
  bases?: Record<string, string>;
}

const MAX_ATTEMPTS = 3;

/**
 * One goal: planning → running (dispatch, review) → settling → merging → verifying → done | failed | cancelled.
 * Side effects are injected actors; every state change is persisted and published by the coordinator.
 */
export const goalMachine = setup({
  types: {
    context: {} as GoalContext,
    events: {} as GoalEvent,
    input: {} as GoalContext,
  },
  actors: {
    plan: fromPromise<TaskSpec[], GoalContext>(async () => {
      throw new Error("plan must be provided");
    }),
    dispatch: fromPromise<DispatchOutcome, GoalContext>(async () => {
      throw new Error("dispatch must be provided");
    }),
    settle: fromPromise<SettleOutcome, GoalContext>(async () => {
      throw new Error("settle must be provided");
    }),
    merge: fromPromise<MergeOutcome, GoalContext>(async () => {
      throw new Error("merge must be provided");
    }),
    verify: fromPromise<VerifyResult, GoalContext>(async () => {
      throw new Error("verify must be provided");
    }),
  },
  guards: {
    allSettled: ({ context }) => allSettled(context),
    hasReady: ({ context }) => readyTasks(context).length > 0,
    // A dependent accepted against a contract its provider never delivered will not land either.
    nothingAccepted: ({ context }) => {
      const orphans = new Set(orphanedDependents(context).map((o) => o.taskId));
      return !Object.values(context.tasks).some(
        (t) => t.status === "accepted" && !orphans.has(t.spec.taskId),
      );
    },
    hasRevisions: (_, params: { outcome: SettleOutcome }) =>
      params.outcome.revise.length > 0 || (params.outcome.decisions?.length ?? 0) > 0,
    mergeConflicted: (_, params: { outcome: MergeOutcome }) => params.outcome.conflicts.length > 0,
    verifyPassed: (_, params: { result: VerifyResult }) => params.result.passed,
    culpritRevisable: ({ context }, params: { result: VerifyResult }) =>
      !params.result.passed && applyCulprit(context, params.result) !== undefined,
  },
  actions: {
    fail: assign({ reason: (_, params: { reason: string }) => params.reason }),
  },
}).createMachine({
  id: "goal",
  context: ({ input }) => input,
  initial: "planning",
  on: { CANCEL: { target: ".cancelled", actions: assign({ reason: ({ event }) => event.reason }) } },
  states: {
    planning: {
      invoke: {
        src: "plan",
        input: ({ context }) => context,
        onDone: {
          target: "running",
          actions: assign(({ context, event }) => ({
            order: event.output.map((t) => t.taskId),
            tasks: Object.fromEntries(
              event.output.map((spec) => [
                spec.taskId,
                {
                  spec,
                  status: "pending",
                  attempt: 0,
                  base: context.baseCommit,
                  revisions: 0,
                } satisfies TaskRecord,
              ]),
            ),
          })),
        },
        onError: {
          target: "failed",
          actions: {
            type: "fail",
            params: ({ event }) => ({ reason: `planning failed: ${errorText(event.error)}` }),
          },
        },
      },
    },
    running: {
      initial: "dispatching",
      states: {
        dispatching: {
          invoke: {
            src: "dispatch",
            input: ({ context }) => context,
            onDone: {
              target: "reviewing",
              actions: assign({
                tasks: ({ context, event }) => {
                  const tasks = { ...context.tasks };
                  for (const id of event.output.taskIds) {
                    const { proposedAt: _previous, ...t } = tasks[id] as TaskRecord;
                    tasks[id] = {
                      ...t,
                      status: "dispatched",
                      attempt: t.attempt + 1,
                      base: event.output.bases?.[id] ?? t.base,
                      dispatchedAt: event.output.at,
                    };
                  }
                  return tasks;
                },
              }),
            },
            onError: {
              target: "#goal.failed",
              actions: {
                type: "fail",
                params: ({ event }) => ({ reason: `dispatch failed: ${errorText(event.error)}` }),
              },
            },
          },
        },
        reviewing: {
          always: [
            { guard: "allSettled", target: "#goal.settling" },
            { guard: "hasReady", target: "dispatching" },
          ],
        },
      },
      // Handled on the parent so that verdicts arriving while a dispatch is in flight are never dropped.
      on: {
        // The agent is done with the attempt: its role's dispatch window frees up while review runs.
        "PROPOSAL.RECEIVED": {
          guard: ({ context, event }) =>
            context.tasks[event.taskId]?.status === "dispatched" &&
            isCurrent(context, event.taskId, event.attempt),
          actions: assign({
            tasks: ({ context, event }) =>
              updateTask(context, event.taskId, (t) => ({ ...t, status: "proposed", proposedAt: event.at })),
          }),
        },
        // A verdict counts only for the attempt it reviewed: the review awaits I/O, and meanwhile the
        // attempt may have failed and been dispatched again.
        "PROPOSAL.ACCEPTED": {
          guard: ({ context, event }) => isCurrent(context, event.taskId, event.record.attempt),
          actions: assign(({ context, event }) =>
            addTasks(
              { ...context, tasks: { ...context.tasks, [event.taskId]: event.record } },
              event.newTasks ?? [],
            ),
          ),
        },
        "PROPOSAL.AWAITING": {
          guard: ({ context, event }) => isCurrent(context, event.taskId, event.record.attempt),
          actions: assign(({ context, event }) => ({
            ...addTasks(
              { ...context, tasks: { ...context.tasks, [event.taskId]: event.record } },
              event.newTasks ?? [],
            ),
            decisions: [...context.decisions, event.decision],
          })),
        },
        "DECISION.RESOLVED": { actions: assign(({ context, event }) => resolveDecision(context, event)) },
        "PROPOSAL.REJECTED": {
          guard: ({ context, event }) => isCurrent(context, event.taskId, event.attempt),
          actions: assign({
            tasks: ({ context, event }) =>
              updateTask(context, event.taskId, (t) =>
                event.retry && t.attempt < MAX_ATTEMPTS
                  ? {
                      ...t,
                      status: "pending",
                      reason: event.reason,
                      ...(event.head ? { sentBackHead: event.head } : {}),
                    }
                  : { ...t, status: "rejected", reason: event.reason },
              ),
          }),
        },
        "TASK.FAILED": {
          actions: assign({
            tasks: ({ context, event }) =>
              updateTask(context, event.taskId, (t) =>
                t.attempt !== event.attempt || t.status !== "dispatched"
                  ? t
                  : t.attempt < MAX_ATTEMPTS
                    ? { ...t, status: "pending", reason: event.reason }
                    : { ...t, status: "failed", reason: event.reason },
              ),
          }),
        },
        "TASK.UNSERVED": {
          actions: assign({
            tasks: ({ context, event }) =>
              updateTask(context, event.taskId, (t) =>
                t.attempt === event.attempt && t.status === "dispatched"
                  ? { ...t, status: "failed", reason: event.reason }
                  : t,
              ),
          }),
        },
      },
    },
    settling: {
      always: {
        guard: "nothingAccepted",
        target: "failed",
        actions: { type: "fail", params: ({ context }) => ({ reason: nothingAcceptedReason(context) }) },
      },
      invoke: {
        src: "settle",
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: "hasRevisions", params: ({ event }) => ({ outcome: event.output }) },
            target: "running",
            actions: assign(({ context, event }) => applySettlement(context, event.output)),
          },
          {
            target: "merging",
            actions: assign(({ context, event }) => applySettlement(context, event.output)),
          },
        ],
        onError: {
          target: "failed",
          actions: {
            type: "fail",
            params: ({ event }) => ({ reason: `settlement failed: ${errorText(event.error)}` }),
          },
        },
      },
    },
    merging: {
      invoke: {
        src: "merge",
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: "mergeConflicted", params: ({ event }) => ({ outcome: event.output }) },
            target: "failed",
            actions: {
              type: "fail",
              params: ({ event }) => ({
                reason: `unsettled merge conflict: ${JSON.stringify(event.output.conflicts)}`,
              }),
            },
          },
          {
            target: "verifying",
            actions: assign({
              merged: ({ event }) => event.output.merged,
              integrationHead: ({ event }) => event.output.head,
            }),
          },
        ],
        onError: {
          target: "failed",
          actions: {
            type: "fail",
            params: ({ event }) => ({ reason: `merge failed: ${errorText(event.error)}` }),
          },
        },
      },
    },
    verifying: {
      invoke: {
        src: "verify",
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: "verifyPassed", params: ({ event }) => ({ result: event.output }) },
            target: "done",
            actions: assign({ verify: ({ event }) => event.output }),
          },
          {
            guard: { type: "culpritRevisable", params: ({ event }) => ({ result: event.output }) },
            target: "running",
            actions: assign(({ context, event }) => applyCulprit(context, event.output) ?? {}),
          },
          {
            target: "failed",
            actions: [
              assign(({ event }) => ({
                verify: event.output,
                ...(event.output.kept
                  ? { integrationHead: event.output.kept.head, merged: event.output.kept.merged }
                  : {}),
              })),
              {
                type: "fail",
                params: ({ event }) => ({
                  reason: `tests failed on the integration branch (exit ${event.output.exitCode})${event.output.culprit ? `; ${event.output.culprit} broke them and has no revisions left` : ""}${keptText(event.output)}`,
                }),
              },
            ],
          },
        ],
        onError: {
          target: "failed",
          actions: {
            type: "fail",
            params: ({ event }) => ({ reason: `verification failed: ${errorText(event.error)}` }),
          },
        },
      },
    },
    done: { type: "final" },
    failed: { type: "final" },
    cancelled: { type: "final" },
  },
});

/** Where a failed verification left the integration branch, for the goal's failure reason. */
function keptText(result: VerifyResult): string {
  const kept = result.kept;
  if (!kept) return "";
  const at = kept.head.slice(0, 12);
  return kept.merged.length > 0
    ? `; the integration branch is left at ${at}, the last merge that passed (${kept.merged.join(", ")})`
    : `; the integration branch is left at the base ${at}`;
}

/** Why nothing was accepted, with the reasons of the tasks that failed (an unserved role, say). */
function nothingAcceptedReason(context: GoalContext): string {
  const failed = context.order
    .map((id) => context.tasks[id] as TaskRecord)
    .filter((t) => t.status === "failed")
    .map((t) => `${t.spec.taskId}: ${t.reason ?? "failed"}`)
    .concat(orphanedDependents(context).map((o) => `${o.taskId}: ${o.reason}`));
  return `no task produced an accepted proposal${failed.length ? ` (${failed.join("; ")})` : ""}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
