import { z } from "zod";
import { Token } from "../envelope.js";
import { defineEvents } from "./define.js";

/** One thing a goal's guild.yaml asked for a role that the agent's host config does not allow. */
export const HostRefusal = z.object({
  field: z.enum(["brain", "allowCommands", "sandbox", "env"]),
  asked: z.string().max(2000),
  reason: z.string().max(2000),
});

/** The host config's word on a task: what the repository's guild.yaml asked beyond it (the task then fails). */
export const hostEvents = defineEvents({
  "host.refused": z.object({
    taskId: Token,
    attempt: z.number().int(),
    role: Token,
    /** Where the host config came from (a file, or the checkout's guild.yaml at start). */
    hostConfig: z.string().max(1000),
    refusals: z.array(HostRefusal).min(1).max(200),
  }),
});
