import type { Subscription } from "../bus/index.js";
import {
  type ControlReply,
  GoalControl,
  type GoalSubmit,
  GoalSubmitRequest,
  makeEnvelope,
} from "../protocol/index.js";
import type { CoordinatorCore } from "./coordinator-core.js";
import { answerGoal, stateName, statusOf } from "./goal/index.js";

/**
 * Serves the requests people send (`guild.goal.submit`, and status, cancel, approve, reject and tell on
 * `guild.goal.<goal>.control`); a goal submitted is started by `submit`.
 */
export async function serveControlRequests(
  core: CoordinatorCore,
  submit: (request: GoalSubmit) => Promise<{ goalId: string; baseCommit: string; integrationBranch: string }>,
): Promise<Subscription[]> {
  return [
    await core.bus.serve("guild.goal.submit", GoalSubmitRequest, async (req) => {
      const accepted = await submit(req.payload);
      return makeEnvelope({
        type: "goal.accepted",
        source: "coordinator",
        goalId: accepted.goalId,
        payload: accepted,
      });
    }),
    await core.bus.serve("guild.goal.*.control", GoalControl, async (req, meta) => {
      const goalId = meta.subject.split(".")[2] ?? "";
      return makeEnvelope({
        type: "goal.control.reply",
        source: "coordinator",
        goalId,
        payload: controlReply(core, goalId, req),
      });
    }),
  ];
}

/** Answers one control request about a goal this coordinator runs (the person's answers: goal/goal-control.ts). */
function controlReply(core: CoordinatorCore, goalId: string, req: GoalControl): ControlReply["payload"] {
  const goal = core.goals.get(goalId);
  if (!goal) return { ok: false, message: `no goal ${goalId}` };
  const action = req.payload;
  const status = statusOf(goal.actor.getSnapshot().value);
  switch (action.action) {
    case "status":
      return { ok: true, message: stateName(goal.actor.getSnapshot().value), status };
    case "cancel":
      goal.actor.send({ type: "CANCEL", reason: action.reason });
      return { ok: true, message: "cancelling", status: "cancelled" };
    default:
      return answerGoal(goal.actor, action, { bus: core.bus, events: core.events });
  }
}
