import { GuildError } from "./errors.js";

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Guards one subject token against dots, spaces and wildcards (subject injection). */
export function token(value: string): string {
  if (!TOKEN.test(value)) {
    throw new GuildError("bus.invalid_message", `not a valid subject token: ${JSON.stringify(value)}`, {
      details: { token: value },
    });
  }
  return value;
}

/** Goal id used for events that belong to no goal (bus errors, presence). */
export const NO_GOAL = "_";

/** Subject names, as docs/ARCHITECTURE.md lists them. */
export const subjects = {
  goalSubmit: "guild.goal.submit",
  /** Request/reply: the coordinator asks an LLM planner service for a plan draft. */
  planRequest: "guild.plan.request",
  /** Request/reply: the coordinator asks an LLM arbiter to judge two conflicting proposals. */
  arbiterRequest: "guild.arbiter.request",
  goalControl: (goalId: string) => `guild.goal.${token(goalId)}.control`,
  task: (role: string) => `guild.task.${token(role)}`,
  tasksAll: "guild.task.>",
  agentInbox: (agentId: string) => `guild.agent.${token(agentId)}.inbox`,
  /** With the agent's id, so NATS permissions can confine each identity to its own proposals. */
  proposal: (goalId: string, agentId?: string) =>
    agentId === undefined
      ? `guild.proposal.${token(goalId)}`
      : `guild.proposal.${token(goalId)}.${token(agentId)}`,
  proposalsAll: "guild.proposal.>",
  /** `type` is dotted (`task.claimed`), so it spans several tokens. */
  event: (goalId: string, source: string, type: string) =>
    `guild.evt.${token(goalId)}.${token(source)}.${type.split(".").map(token).join(".")}`,
  eventsAll: "guild.evt.>",
  eventsOfGoal: (goalId: string) => `guild.evt.${token(goalId)}.>`,
} as const;

/** Stream, bucket and store names, as docs/ARCHITECTURE.md lists them. */
export const stores = {
  tasks: "GUILD_TASKS",
  proposals: "GUILD_PROPOSALS",
  events: "GUILD_EVENTS",
  state: "guild-state",
  /** Agents' presence: one key per agent, gone when its heartbeats stop (the bucket's TTL). */
  presence: "guild-presence",
  bundles: "guild-bundles",
} as const;
