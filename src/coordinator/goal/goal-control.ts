import type { Actor } from "xstate";
import type { Bus, EventEmitter } from "../../bus/index.js";
import { type ControlReply, type GoalControl, makeEnvelope, subjects } from "../../protocol/index.js";
import type { goalMachine } from "./goal-machine.js";
import { statusOf } from "./goal-status.js";

type Action = GoalControl["payload"];

/**
 * A person's answers to a goal: approve or reject a pending decision, or tell a working agent more.
 * Each checks what it refers to first and says why it cannot be done, changing nothing then.
 */
export function answerGoal(
  actor: Actor<typeof goalMachine>,
  action: Exclude<Action, { action: "status" | "cancel" }>,
  deps: { bus: Bus; events: EventEmitter },
): ControlReply["payload"] {
  const snapshot = actor.getSnapshot();
  const status = statusOf(snapshot.value);
  const goalId = snapshot.context.goalId;
  if (action.action === "tell") {
    const directive = makeEnvelope({
      type: "agent.directive",
      source: "coordinator",
      goalId,
      payload: { kind: "tell" as const, text: action.text },
    });
    void deps.bus.publish(subjects.agentInbox(action.agentId), directive).catch(() => undefined);
    return { ok: true, message: `told ${action.agentId}`, status };
  }
  const decision = snapshot.context.decisions.find((d) => d.id === action.decisionId);
  if (!decision) return { ok: false, message: `no decision ${action.decisionId} in goal ${goalId}`, status };
  if (decision.resolution) {
    return {
      ok: false,
      message: `decision ${decision.id} was already ${decision.resolution.approved ? "approved" : "rejected"}`,
      status,
    };
  }
  if (snapshot.status !== "active")
    return { ok: false, message: `goal ${goalId} has ended (${status})`, status };
  if (action.action === "approve" && decision.kind === "conflict") {
    if (!action.winner || !decision.taskIds.includes(action.winner)) {
      return {
        ok: false,
        message: `a conflict needs --winner, one of: ${decision.taskIds.join(", ")}`,
        status,
      };
    }
  }
  const approved = action.action === "approve";
  const reason = action.action === "reject" ? action.reason : "approved by a person";
  const winner = action.action === "approve" ? action.winner : undefined;
  actor.send({
    type: "DECISION.RESOLVED",
    decisionId: decision.id,
    approved,
    reason,
    ...(winner ? { winner } : {}),
  });
  void deps.events.emit(
    "decision.resolved",
    { decisionId: decision.id, approved, reason, ...(winner ? { winner } : {}) },
    goalId,
  );
  return { ok: true, message: `${approved ? "approved" : "rejected"} ${decision.id}`, status };
}
