import { z } from "zod";
import { defineEvents } from "./define.js";

const RoleCost = z.object({
  role: z.string(),
  model: z.string(),
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cost: z.number().nullable(),
});

/** A goal's end report: its cost per role, and its hand-off (push, pull request) when guild.yaml asks for one. */
export const handoffEvents = defineEvents({
  "goal.cost": z.object({
    roles: z.array(RoleCost),
    inputTokens: z.number().int().min(0),
    outputTokens: z.number().int().min(0),
    cost: z.number().nullable(),
  }),
  "handoff.pushed": z.object({ remote: z.string(), url: z.string(), branch: z.string(), head: z.string() }),
  "handoff.pull_request.opened": z.object({ number: z.number().int(), url: z.string() }),
  /** No pull request was opened, and why (no token, not a GitHub remote). */
  "handoff.pull_request.skipped": z.object({ reason: z.string() }),
  "handoff.failed": z.object({ remote: z.string(), reason: z.string() }),
});
