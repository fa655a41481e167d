import { z } from "zod";
import { Token } from "../envelope.js";
import { defineEvents } from "./define.js";

/** Scheduled goals (guild.yaml `schedules`): each run started, and each schedule that could not run. */
export const scheduleEvents = defineEvents({
  /** A scheduled run started goal `goalId`; `late` when its time passed while no coordinator ran. */
  "schedule.fired": z.object({
    scheduleId: Token,
    cron: z.string(),
    slot: z.string(),
    goalId: Token,
    late: z.boolean(),
  }),
  "schedule.failed": z.object({ scheduleId: z.string(), slot: z.string().optional(), reason: z.string() }),
});
