import { z } from "zod";
import { Token } from "../envelope.js";
import { defineEvents } from "./define.js";

/** Lines of a file, 1-based and inclusive. */
export const LineSpan = z.object({ start: z.number().int().min(1), end: z.number().int().min(0) });
export type LineSpan = z.infer<typeof LineSpan>;

/** How one exported symbol of a module differs from the task's base: names and signatures, never bodies. */
export const SurfaceChange = z.object({
  path: z.string().max(1000),
  symbol: z.string().max(200),
  change: z.enum(["added", "removed", "changed"]),
  /** The signature at the base (removed, changed). */
  before: z.string().max(400).optional(),
  /** The signature in the worktree (added, changed). */
  after: z.string().max(400).optional(),
});
export type SurfaceChange = z.infer<typeof SurfaceChange>;

/** A name a task's changed lines import from a module of the repository. */
export const ImportUse = z.object({
  /** The imported module's path in the repository. */
  path: z.string().max(1000),
  symbol: z.string().max(200),
  /** The file whose changed lines use it. */
  in: z.string().max(1000),
});
export type ImportUse = z.infer<typeof ImportUse>;

/** One changed file, with the base lines its changes replace (an added file has none). */
export const ChangedFile = z.object({
  path: z.string().max(1000),
  status: z.enum(["added", "modified", "deleted"]),
  baseLines: z.array(LineSpan).max(200),
});
export type ChangedFile = z.infer<typeof ChangedFile>;

/** The most entries of each list one progress event carries; the rest is counted in `truncated`. */
export const PROGRESS_LIMIT = 200;

/** Progress of a task while its agent works: a full snapshot against the task's base, not a delta. */
export const WorkProgress = z.object({
  taskId: Token,
  role: Token,
  agentId: Token,
  attempt: z.number().int().min(1),
  /** Counts up per task attempt, so a late snapshot never replaces a newer one. */
  seq: z.number().int().min(1),
  files: z.array(ChangedFile).max(PROGRESS_LIMIT),
  surface: z.array(SurfaceChange).max(PROGRESS_LIMIT),
  uses: z.array(ImportUse).max(PROGRESS_LIMIT),
  /** Entries left out past the limits. */
  truncated: z.number().int().min(0).default(0),
});
export type WorkProgress = z.infer<typeof WorkProgress>;

export const progressEvents = defineEvents({
  "work.progress": WorkProgress,
});
