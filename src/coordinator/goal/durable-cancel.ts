import type { Bus } from "../../bus/index.js";
import { type Logger, makeEnvelope, subjects } from "../../protocol/index.js";

/** Which agent claimed each task of a goal last, as the event log records it. */
export async function claimantsOf(bus: Bus, goalId: string): Promise<Map<string, string>> {
  const claims = await bus.events.read({ subject: `guild.evt.${goalId}.*.task.claimed` });
  const byTask = new Map<string, string>();
  for (const event of claims) {
    if (event.type === "task.claimed") byTask.set(event.payload.taskId, event.payload.agentId);
  }
  return byTask;
}

/**
 * Tells every agent that claimed a task of the goal to stop it. The directive names the task, so an
 * agent that has moved on to other work ignores it; the agent keeps what it had not committed on a
 * salvage ref. The claims come from the durable event log, so a restarted coordinator finds them too.
 */
export async function cancelGoalAgents(
  bus: Bus,
  goalId: string,
  reason: string,
  logger?: Logger,
): Promise<string[]> {
  const told: string[] = [];
  for (const [taskId, agentId] of await claimantsOf(bus, goalId)) {
    const directive = makeEnvelope({
      type: "agent.directive",
      source: "coordinator",
      goalId,
      payload: { kind: "cancel" as const, taskId, reason },
    });
    try {
      await bus.publish(subjects.agentInbox(agentId), directive);
      told.push(agentId);
    } catch (error) {
      logger?.warn({ err: error, agentId, goalId }, "could not send cancel directive");
    }
  }
  return told;
}
