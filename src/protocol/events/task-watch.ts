import { z } from "zod";
import { Token } from "../envelope.js";
import { defineEvents } from "./define.js";

/** Warnings about a dispatched task that may never be worked on. */
export const taskWatchEvents = defineEvents({
  /** No agent of the task's role is present; the task fails if none claims it within `waitMs`. */
  "task.unserved": z.object({
    taskId: Token,
    role: z.string(),
    attempt: z.number().int(),
    waitMs: z.number().int(),
    reason: z.string(),
  }),
});
