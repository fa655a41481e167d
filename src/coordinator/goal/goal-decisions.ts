import { MAX_REVISIONS } from "../settle/index.js";
import type { Decision, GoalContext, SettleOutcome, TaskRecord, VerifyResult } from "./goal-types.js";
import { resetStaleDependents } from "./stale-dependents.js";

export interface DecisionResolution {
  decisionId: string;
  approved: boolean;
  reason: string;
  winner?: string;
}

/** The next decision id of a goal: `<goal>:<n>`. */
export function nextDecisionId(context: Pick<GoalContext, "goalId" | "decisions">, offset = 0): string {
  return `${context.goalId}:${context.decisions.length + 1 + offset}`;
}

/**
 * Applies a person's decision. A protected change approved is accepted, rejected is dropped. A conflict
 * approved with a winner keeps the winner and sends the other side to revise on top of it (or rejects it
 * when its revisions are spent); a conflict rejected drops both sides.
 */
export function resolveDecision(context: GoalContext, resolution: DecisionResolution): Partial<GoalContext> {
  const decision = context.decisions.find((d) => d.id === resolution.decisionId);
  if (!decision || decision.resolution) return {};
  const tasks = { ...context.tasks };
  const set = (id: string, patch: Partial<TaskRecord>) => {
    const t = tasks[id];
    if (t) tasks[id] = { ...t, ...patch };
  };
  if (decision.kind === "protected") {
    for (const id of decision.taskIds) {
      set(
        id,
        resolution.approved
          ? {
              status: "accepted",
              reason: `accepted: protected paths approved by a person (${resolution.reason})`,
            }
          : { status: "rejected", reason: `rejected by a person: ${resolution.reason}` },
      );
    }
  } else if (resolution.approved && resolution.winner && decision.taskIds.includes(resolution.winner)) {
    const winner = tasks[resolution.winner] as TaskRecord;
    set(winner.spec.taskId, {
      status: "accepted",
      reason: `won a conflict by a person's decision: ${resolution.reason}`,
    });
    for (const id of decision.taskIds.filter((t) => t !== resolution.winner)) {
      const loser = tasks[id] as TaskRecord;
      const head = winner.proposal?.headCommit;
      set(
        id,
        loser.revisions < MAX_REVISIONS && head
          ? {
              status: "pending",
              base: head,
              revisions: loser.revisions + 1,
              reason: `A person kept ${winner.spec.role}'s change to ${decision.paths.join(", ")} (${resolution.reason}). Redo your work on top of it.`,
            }
          : { status: "rejected", reason: `lost a conflict by a person's decision: ${resolution.reason}` },
      );
    }
  } else {
    for (const id of decision.taskIds)
      set(id, { status: "rejected", reason: `conflict rejected by a person: ${resolution.reason}` });
  }
  const decisions = context.decisions.map((d) =>
    d.id === decision.id
      ? {
          ...d,
          resolution: {
            approved: resolution.approved,
            reason: resolution.reason,
            ...(resolution.winner ? { winner: resolution.winner } : {}),
          },
        }
      : d,
  );
  const displaced = decision.taskIds.filter((id) => {
    const status = tasks[id]?.status;
    return status === "pending" || status === "rejected";
  });
  return { tasks: resetStaleDependents(tasks, displaced, context.baseCommit), decisions };
}

/** Folds a settlement into the goal: losers revise or are rejected, undecidable conflicts wait for a person. */
export function applySettlement(context: GoalContext, outcome: SettleOutcome): Partial<GoalContext> {
  const tasks = { ...context.tasks };
  for (const r of outcome.revise) {
    const t = tasks[r.taskId] as TaskRecord;
    tasks[r.taskId] = {
      ...t,
      status: "pending",
      base: r.base,
      reason: r.feedback,
      revisions: t.revisions + 1,
    };
  }
  for (const r of outcome.reject) {
    const t = tasks[r.taskId] as TaskRecord;
    tasks[r.taskId] = { ...t, status: "rejected", reason: r.reason };
  }
  for (const { taskId, head } of outcome.heads ?? []) {
    const t = tasks[taskId] as TaskRecord;
    if (t.proposal) tasks[taskId] = { ...t, proposal: { ...t.proposal, headCommit: head } };
  }
  const waiting: Decision[] = outcome.decisions ?? [];
  for (const d of waiting)
    for (const id of d.taskIds) {
      const t = tasks[id] as TaskRecord;
      tasks[id] = { ...t, status: "awaiting" };
    }
  const displaced = [...outcome.revise.map((r) => r.taskId), ...outcome.reject.map((r) => r.taskId)];
  return {
    tasks: resetStaleDependents(tasks, displaced, context.baseCommit),
    settlements: [...context.settlements, ...outcome.settlements],
    decisions: [...context.decisions, ...waiting],
  };
}

/** Sends the proposal that broke the tests back with the failing output, or reports that none can be. */
export function applyCulprit(context: GoalContext, result: VerifyResult): Partial<GoalContext> | undefined {
  const culprit = result.culprit ? context.tasks[result.culprit] : undefined;
  if (!culprit || culprit.revisions >= MAX_REVISIONS) return undefined;
  const feedback =
    `Merging your change made the project's tests fail (${result.command.join(" ")}, exit ${result.exitCode}). ` +
    `Fix it so the tests pass. The failing output:\n${result.output.slice(-6000)}`;
  const tasks = {
    ...context.tasks,
    [culprit.spec.taskId]: {
      ...culprit,
      status: "pending" as const,
      reason: feedback,
      revisions: culprit.revisions + 1,
      ...(culprit.proposal ? { sentBackHead: culprit.proposal.headCommit } : {}),
    },
  };
  return {
    tasks: resetStaleDependents(tasks, [culprit.spec.taskId], context.baseCommit),
    merged: [],
    verify: result,
  };
}
