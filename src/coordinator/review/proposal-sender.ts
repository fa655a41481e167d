import type { KeyValue } from "../../bus/index.js";
import type { ProposalMessage } from "../../protocol/index.js";
import { claimHolderProblem } from "../goal/index.js";

/**
 * Why a proposal does not come from the agent that claimed its attempt, or undefined when it does. Its subject
 * (`guild.proposal.<goal>.<agent>`, which NATS permissions confine to the agent's identity), its envelope and
 * its payload must name the same agent, and that agent must hold the claim on (task, attempt), which only the
 * task's role can write.
 */
export async function proposalSenderProblem(
  subject: string,
  message: ProposalMessage,
  taskRole: string,
  kv: KeyValue,
): Promise<string | undefined> {
  const proposal = message.payload;
  const [, , goalToken, agentToken, ...rest] = subject.split(".");
  if (goalToken !== proposal.goalId || rest.length > 0) {
    return `subject ${subject} does not carry goal ${proposal.goalId}`;
  }
  if (agentToken !== undefined && agentToken !== proposal.agentId) {
    return `subject ${subject} names agent ${agentToken}, the proposal ${proposal.agentId}`;
  }
  if (message.source !== proposal.agentId) {
    return `sent by ${message.source} for agent ${proposal.agentId}`;
  }
  const { goalId, taskId, attempt, agentId } = proposal;
  return claimHolderProblem(kv, taskRole, goalId, taskId, attempt, agentId);
}
