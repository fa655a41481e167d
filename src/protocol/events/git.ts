import { z } from "zod";
import { Token } from "../envelope.js";
import { defineEvents } from "./define.js";

/** Events of the git room: what happened to workspaces and work found after a crash. */
export const gitEvents = defineEvents({
  "workspace.salvaged": z.object({
    goalId: Token,
    taskId: Token,
    dir: z.string(),
    ref: z.string(),
    commit: z.string(),
    reason: z.string(),
  }),
  "workspace.reattached": z.object({ goalId: Token, taskId: Token, dir: z.string(), branch: z.string() }),
  "workspace.pruned": z.object({
    goalId: Token.optional(),
    taskId: Token.optional(),
    dir: z.string(),
    reason: z.string(),
  }),
});
