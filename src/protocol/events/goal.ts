import { z } from "zod";
import { Token } from "../envelope.js";
import { GoalStatus, TaskSpec } from "../messages.js";
import { defineEvents } from "./define.js";
import { ErrorRaised } from "./error-raised.js";

export const goalEvents = defineEvents({
  "goal.submitted": z.object({
    text: z.string(),
    repo: z.string(),
    baseRef: z.string(),
    baseCommit: z.string(),
  }),
  "plan.created": z.object({ tasks: z.array(TaskSpec), planner: z.string() }),
  "plan.rejected": z.object({ reason: z.string() }),
  /** The plan check fixed something safe (an id, a role's case, a dropped dependency, a default owner). */
  "plan.repaired": z.object({ planner: z.string(), repairs: z.array(z.string()) }),
  /** One planner attempt was invalid; the next attempt gets these errors back. */
  "plan.attempt.failed": z.object({
    planner: z.string(),
    attempt: z.number().int(),
    errors: z.array(z.string()),
  }),
  "coordinator.state.changed": z.object({ from: z.string(), to: z.string(), status: GoalStatus }),
  "task.dispatched": z.object({ taskId: Token, role: z.string(), attempt: z.number().int() }),
  /** A slot of the task's role is kept for it, for at most `holdMs`: its dependency is about to finish. */
  "task.held": z.object({ taskId: Token, role: z.string(), holdMs: z.number(), reason: z.string() }),
  "proposal.received": z.object({
    proposalId: z.string(),
    taskId: Token,
    role: z.string(),
    agentId: z.string(),
    changedPaths: z.array(z.string()),
    partial: z.boolean(),
  }),
  "proposal.accepted": z.object({ proposalId: z.string(), taskId: Token, reason: z.string() }),
  "proposal.rejected": z.object({ proposalId: z.string(), taskId: Token, reason: z.string() }),
  "proposal.revision_requested": z.object({
    proposalId: z.string(),
    taskId: Token,
    attempt: z.number().int(),
    reason: z.string(),
  }),
  "conflict.detected": z.object({
    taskIds: z.array(Token),
    files: z.array(z.string()),
  }),
  "conflict.settled": z.object({
    winner: Token,
    loser: Token,
    policy: z.string(),
    reason: z.string(),
    files: z.array(z.string()),
  }),
  "merge.completed": z.object({ taskId: Token, commit: z.string(), branch: z.string() }),
  "verify.started": z.object({ command: z.array(z.string()) }),
  "verify.finished": z.object({
    passed: z.boolean(),
    exitCode: z.number().int().nullable(),
    output: z.string(),
  }),
  "goal.done": z.object({ branch: z.string(), head: z.string(), summary: z.string() }),
  "goal.failed": z.object({ reason: z.string() }),
  "goal.cancelled": z.object({ reason: z.string() }),
  "decision.requested": z.object({
    decisionId: z.string(),
    kind: z.enum(["protected", "conflict"]),
    taskIds: z.array(Token),
    paths: z.array(z.string()),
    reason: z.string(),
  }),
  "decision.resolved": z.object({
    decisionId: z.string(),
    approved: z.boolean(),
    reason: z.string(),
    winner: Token.optional(),
  }),
  "change.requested": z.object({
    taskId: Token,
    fromTask: Token,
    fromRole: z.string(),
    toRole: z.string(),
    paths: z.array(z.string()),
  }),
  "verify.culprit_found": z.object({ taskId: Token, tested: z.number().int(), output: z.string() }),
  "error.raised": ErrorRaised,
});
