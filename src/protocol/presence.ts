import { z } from "zod";
import { Token } from "./envelope.js";

/** One agent's heartbeat in the `guild-presence` bucket, under its agent id. */
export const AgentPresence = z.object({
  agentId: Token,
  role: Token,
  host: z.string().max(255),
  pid: z.number().int(),
  /** When the agent came up (ISO time). */
  since: z.string(),
  /** Its latest heartbeat (ISO time); the bucket drops the key a TTL after it. */
  seenAt: z.string(),
  /** The task it works on, and since when; absent while it waits for one. */
  task: z.object({ goalId: Token, taskId: Token, attempt: z.number().int(), since: z.string() }).optional(),
});
export type AgentPresence = z.infer<typeof AgentPresence>;
