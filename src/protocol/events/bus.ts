import { z } from "zod";
import { defineEvents } from "./define.js";

export const busEvents = defineEvents({
  /** An inbound message failed validation and was dropped. */
  "bus.message.rejected": z.object({
    subject: z.string(),
    reason: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).max(50),
    sample: z.string().max(2000),
  }),
  /** A consumer loop was stopped and recreated after missed heartbeats or errors. */
  "bus.consumer.restarted": z.object({ consumer: z.string(), reason: z.string() }),
});
