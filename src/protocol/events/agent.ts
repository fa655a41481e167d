import { z } from "zod";
import { Token } from "../envelope.js";
import { TokenUsage } from "../messages.js";
import { defineEvents } from "./define.js";

export const agentEvents = defineEvents({
  "agent.state.changed": z.object({ agentId: Token, role: z.string(), from: z.string(), to: z.string() }),
  "agent.online": z.object({ agentId: Token, role: z.string(), brain: z.string() }),
  "task.claimed": z.object({ taskId: Token, agentId: Token, attempt: z.number().int() }),
  "workspace.ready": z.object({ taskId: Token, dir: z.string(), branch: z.string(), sparse: z.boolean() }),
  "agent.step": z.object({
    taskId: Token,
    kind: z.enum(["thought", "tool_call", "tool_result", "summary"]),
    text: z.string().max(4000),
    usage: TokenUsage.optional(),
  }),
  "tool.denied": z.object({
    taskId: Token,
    tool: z.string(),
    path: z.string().optional(),
    reason: z.string(),
  }),
  "task.budget_exceeded": z.object({
    taskId: Token,
    budget: z.string(),
    limit: z.number(),
    used: z.number(),
  }),
  "task.failed": z.object({ taskId: Token, attempt: z.number().int(), reason: z.string() }),
  "proposal.published": z.object({
    taskId: Token,
    proposalId: z.string(),
    changedPaths: z.array(z.string()),
    commits: z.number().int(),
  }),
});
