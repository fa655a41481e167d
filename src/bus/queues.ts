import { GuildError, stores } from "../protocol/index.js";
import { subjectMatches } from "./subject-match.js";
import type { QueueName } from "./types.js";

const QUEUES: Record<QueueName, { stream: string; prefix: string }> = {
  tasks: { stream: stores.tasks, prefix: "guild.task" },
  proposals: { stream: stores.proposals, prefix: "guild.proposal" },
};

/** The stream behind a queue; throws when `subject` (or filter) lies outside it, as JetStream would not store it. */
export function queueStream(queue: QueueName, subject: string): string {
  const { stream, prefix } = QUEUES[queue];
  const inside = subject.startsWith(`${prefix}.`) && subjectMatches(`${prefix}.>`, subject);
  if (!inside) {
    throw new GuildError("bus.invalid_message", `${subject} is not a ${queue} subject (${prefix}.>)`, {
      details: { subject },
    });
  }
  return stream;
}

/** The durable consumer a role's agents share on `guild.task.<role>`; the coordinator creates it under auth. */
export function taskDurable(role: string): string {
  return `tasks-${role}`;
}

/**
 * The queue groups the LLM services answer in, so replicas share the requests; the `planner` and `arbiter`
 * identities may subscribe to their request subject in this group only.
 */
export const serviceQueues = { planner: "planners", arbiter: "arbiters" } as const;
