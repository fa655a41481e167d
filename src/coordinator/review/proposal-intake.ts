import type { Bus, EventEmitter, WorkItem } from "../../bus/index.js";
import type { Clock, Logger, ProposalMessage } from "../../protocol/index.js";
import type { GoalPort } from "./goal-port.js";
import { dropLateProposal } from "./late-proposal.js";
import { proposalSenderProblem } from "./proposal-sender.js";
import { reviewProposal } from "./review-proposal.js";

export interface IntakeDeps {
  bus: Bus;
  events: EventEmitter;
  goals: GoalPort;
  logger: Logger;
  clock: Clock;
}

/**
 * Tells the proposal's goal that its agent is done with the attempt (so its role gets the next task while
 * the proposal waits for review) and records the receipt; false when no goal here has it (then it is acked:
 * nothing could ever review it, and for a goal that has ended: it is dropped unreviewed, `late-proposal.ts`).
 */
export async function receiveProposal(item: WorkItem<ProposalMessage>, deps: IntakeDeps): Promise<boolean> {
  const proposal = item.data.payload;
  const goal = deps.goals.find(proposal.goalId);
  if (!goal) {
    await deps.events.emit(
      "error.raised",
      {
        code: "goal.not_found",
        message: `proposal ${proposal.proposalId} for unknown goal`,
        context: "review",
      },
      proposal.goalId,
    );
    await item.ack();
    return false;
  }
  // Before the sender check: after the end, the claims it reads may be gone, and dropping touches only
  // what belongs to this ended goal.
  const ended = goal.ended();
  if (ended) {
    await dropLateProposal(item, ended, deps, "arrived");
    return false;
  }
  // A proposal not from the agent that claimed its attempt is ignored, and said so: it changes nothing.
  const task = goal.context().tasks[proposal.taskId];
  const problem = task && (await proposalSenderProblem(item.subject, item.data, task.spec.role, deps.bus.kv));
  if (problem) {
    await deps.events.emit(
      "bus.message.rejected",
      {
        subject: item.subject,
        reason: `proposal ${proposal.proposalId} ignored: ${problem}`,
        issues: [],
        sample: JSON.stringify(item.data).slice(0, 2000),
      },
      proposal.goalId,
    );
    await item.ack();
    return false;
  }
  goal.send({
    type: "PROPOSAL.RECEIVED",
    taskId: proposal.taskId,
    attempt: proposal.attempt,
    at: deps.clock.now(),
  });
  await deps.events.emit(
    "proposal.received",
    {
      proposalId: proposal.proposalId,
      taskId: proposal.taskId,
      role: proposal.role,
      agentId: proposal.agentId,
      changedPaths: proposal.changedPaths,
      partial: proposal.partial,
    },
    proposal.goalId,
  );
  return true;
}

/**
 * Reviews a received proposal and feeds the verdict to its goal. It is acked only after the verdict is in
 * the goal's state; an unexpected failure naks it for redelivery, so no proposal is lost. A goal that ended
 * while the proposal waited, or while it was reviewed, gets no verdict: the proposal is dropped as one that
 * arrived after the end (and a ref its review imported is removed).
 */
export async function reviewReceived(item: WorkItem<ProposalMessage>, deps: IntakeDeps): Promise<void> {
  const proposal = item.data.payload;
  const goal = deps.goals.find(proposal.goalId);
  // The goal was taken over by another coordinator meanwhile: it reviews the redelivered proposal.
  if (!goal) return item.nak();
  const ctx = goal.context();
  try {
    const endedBefore = goal.ended();
    if (endedBefore) return await dropLateProposal(item, endedBefore, deps, "reviewed");
    const verdict = await reviewProposal(proposal, ctx.tasks[proposal.taskId], {
      bus: deps.bus,
      repo: ctx.repo,
      ownership: goal.ownership,
    });
    const endedDuring = goal.ended();
    if (endedDuring) return await dropLateProposal(item, endedDuring, deps, "reviewed", { repo: ctx.repo });
    const ids = { proposalId: proposal.proposalId, taskId: proposal.taskId };
    if (verdict.kind === "accepted" || verdict.kind === "awaiting") {
      for (const request of verdict.newTasks) {
        const cr = request.changeRequest;
        if (!cr) continue;
        await deps.events.emit(
          "change.requested",
          {
            taskId: request.taskId,
            fromTask: cr.fromTask,
            fromRole: cr.fromRole,
            toRole: request.role,
            paths: request.expectedPaths,
          },
          proposal.goalId,
        );
      }
    }
    if (verdict.kind === "accepted") {
      await deps.events.emit("proposal.accepted", { ...ids, reason: verdict.reason }, proposal.goalId);
      goal.send({
        type: "PROPOSAL.ACCEPTED",
        taskId: proposal.taskId,
        record: verdict.record,
        newTasks: verdict.newTasks,
      });
      goal.offerMerge();
    } else if (verdict.kind === "awaiting") {
      const d = verdict.decision;
      await deps.events.emit(
        "decision.requested",
        { decisionId: d.id, kind: d.kind, taskIds: d.taskIds, paths: d.paths, reason: d.reason },
        proposal.goalId,
      );
      goal.send({
        type: "PROPOSAL.AWAITING",
        taskId: proposal.taskId,
        record: verdict.record,
        decision: d,
        newTasks: verdict.newTasks,
      });
    } else if (verdict.kind === "rejected") {
      await deps.events.emit("proposal.rejected", { ...ids, reason: verdict.reason }, proposal.goalId);
      goal.send({
        type: "PROPOSAL.REJECTED",
        taskId: proposal.taskId,
        attempt: proposal.attempt,
        reason: verdict.reason,
        retry: verdict.retry,
        ...(verdict.head ? { head: verdict.head } : {}),
      });
    } else {
      await deps.events.emit(
        "proposal.rejected",
        { ...ids, reason: `stale: ${verdict.reason}` },
        proposal.goalId,
      );
    }
    await item.ack();
  } catch (error) {
    deps.logger.error({ err: error, proposal: proposal.proposalId }, "review failed; will retry");
    await item.nak(1000);
  }
}
