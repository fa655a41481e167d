import { z } from "zod";
import type { Bus } from "../bus/index.js";
import { ControlReply, type GoalControl, makeEnvelope, subjects, Token } from "../protocol/index.js";

/** A person's answer to a pending decision, as the page posts it. */
export const DecisionAnswer = z.discriminatedUnion("approve", [
  z.object({ approve: z.literal(true), winner: Token.optional() }),
  z.object({ approve: z.literal(false), reason: z.string().trim().min(1).max(2000) }),
]);
export type DecisionAnswer = z.infer<typeof DecisionAnswer>;

/** What the page posts to tell an agent something. */
export const TellRequest = z.object({ text: z.string().trim().min(1).max(20_000) });

/** A decision id is `<goal>:<n>`, so the goal it belongs to is read from the id, as `guild approve` does. */
export const DecisionId = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/, "must be <goal>:<n>");

/**
 * Sends a decision to its goal's control subject, exactly as `guild approve` / `guild reject` do, with the
 * dashboard as the source; the coordinator's reply (ok, message) is returned as it is.
 */
export async function sendDecision(
  bus: Bus,
  decisionId: string,
  answer: DecisionAnswer,
): Promise<{ ok: boolean; message: string }> {
  const goalId = decisionId.slice(0, decisionId.indexOf(":"));
  const payload: GoalControl["payload"] = answer.approve
    ? { action: "approve", decisionId, ...(answer.winner ? { winner: answer.winner } : {}) }
    : { action: "reject", decisionId, reason: answer.reason };
  const request = makeEnvelope({ type: "goal.control", source: "dashboard", goalId, payload });
  const reply = await bus.request(subjects.goalControl(goalId), request, ControlReply, { timeoutMs: 10_000 });
  return { ok: reply.payload.ok, message: reply.payload.message };
}

/** Delivers more context to an agent's inbox, as `guild tell` does. */
export async function tellAgent(bus: Bus, agentId: string, text: string): Promise<void> {
  const message = makeEnvelope({
    type: "agent.directive",
    source: "dashboard",
    payload: { kind: "tell" as const, text },
  });
  await bus.publish(subjects.agentInbox(agentId), message);
}
