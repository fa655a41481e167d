import { resolve } from "node:path";
import type { Bus } from "../../bus/index.js";
import {
  ControlReply,
  type GoalControl,
  GoalSubmitReply,
  GuildError,
  makeEnvelope,
  subjects,
  type TaskSpec,
} from "../../protocol/index.js";

/** What a person (the CLI, or their coding agent over MCP) asks a guild for. */
export interface GoalRequest {
  text: string;
  repo: string;
  base?: string;
  plan?: TaskSpec[];
  goalId?: string;
}

/** Sends `guild.goal.submit`; the coordinator's reply names the goal and its integration branch. */
export async function requestGoal(bus: Bus, goal: GoalRequest): Promise<GoalSubmitReply["payload"]> {
  const request = makeEnvelope({
    type: "goal.submit",
    source: "cli",
    payload: {
      text: goal.text,
      repo: resolve(goal.repo),
      baseRef: goal.base ?? "HEAD",
      ...(goal.plan ? { plan: goal.plan } : {}),
      ...(goal.goalId ? { goalId: goal.goalId } : {}),
    },
  });
  const reply = await bus.request(subjects.goalSubmit, request, GoalSubmitReply, { timeoutMs: 30_000 });
  return reply.payload;
}

/** Sends one control action (cancel, approve, reject) to a goal's coordinator and returns its answer. */
export async function controlGoal(
  bus: Bus,
  goalId: string,
  payload: GoalControl["payload"],
  timeoutMs = 30_000,
): Promise<ControlReply["payload"]> {
  const request = makeEnvelope({ type: "goal.control", source: "cli", goalId, payload });
  const reply = await bus.request(subjects.goalControl(goalId), request, ControlReply, { timeoutMs });
  return reply.payload;
}

/** The goal a decision id (`<goal>:<n>`) belongs to; a clear error for anything else. */
export function goalOfDecision(decisionId: string): string {
  const goalId = decisionId.split(":")[0] ?? "";
  if (!goalId || !decisionId.includes(":"))
    throw new GuildError("goal.not_found", `not a decision id: ${decisionId} (expected <goal>:<n>)`, {
      details: { decisionId },
    });
  return goalId;
}

/** A person's answer to a pending decision, sent to the goal it belongs to. */
export function decide(
  bus: Bus,
  decisionId: string,
  answer: { approve: true; winner?: string } | { approve: false; reason: string },
): Promise<ControlReply["payload"]> {
  const payload: GoalControl["payload"] = answer.approve
    ? { action: "approve", decisionId, ...(answer.winner ? { winner: answer.winner } : {}) }
    : { action: "reject", decisionId, reason: answer.reason };
  return controlGoal(bus, goalOfDecision(decisionId), payload, 10_000);
}

/** More context for a working agent, delivered to its inbox. */
export async function tellAgent(bus: Bus, agentId: string, text: string): Promise<void> {
  const message = makeEnvelope({
    type: "agent.directive",
    source: "cli",
    payload: { kind: "tell" as const, text },
  });
  await bus.publish(subjects.agentInbox(agentId), message);
}
