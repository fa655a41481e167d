import { z } from "zod";
import { Token } from "../envelope.js";
import { defineEvents } from "./define.js";

/**
 * An agent has finished writing for now (its last progress came before this event) and waits, for a
 * bounded time, until the coordinator has read the progress of the goal's other tasks at work, so an
 * overlap that exists now reaches it before it proposes. The coordinator answers with a `synced`
 * directive on the agent's inbox.
 */
export const WorkSynced = z.object({
  taskId: Token,
  role: Token,
  agentId: Token,
  attempt: z.number().int().min(1),
});
export type WorkSynced = z.infer<typeof WorkSynced>;

export const syncEvents = defineEvents({
  "work.synced": WorkSynced,
});

/** The coordinator's answer to `work.synced`: every other task at work has synced or proposed, and what they overlap was told. */
export const syncedDirective = z.object({
  kind: z.literal("synced"),
  taskId: Token,
  attempt: z.number().int().min(1),
});
export type SyncedDirective = z.infer<typeof syncedDirective>;
