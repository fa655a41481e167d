import { z } from "zod";
import { MAX_PROVIDES, ProvidedExport } from "./contract.js";
import { envelopeOf } from "./envelope.js";
import { TokenUsage } from "./messages.js";

/**
 * One task as a planner drafts it: loose on purpose (ids and roles are repaired by the coordinator's
 * plan check), but bounded everywhere so a hostile reply cannot grow without limit.
 */
export const PlanDraftTask = z.object({
  id: z.string().min(1).max(200),
  role: z.string().min(1).max(100),
  title: z.string().min(1).max(500),
  instructions: z.string().max(20_000).default(""),
  expectedPaths: z.array(z.string().min(1).max(4096)).max(1000).default([]),
  dependsOn: z.array(z.string().min(1).max(200)).max(100).default([]),
  /**
   * Exports the task promises its dependents, who may then start before it merges: structured, or one line
   * each (`exports login(user, password): Promise<Session> from src/lib/auth.ts`); the plan check reads both.
   */
  provides: z
    .array(z.union([ProvidedExport, z.string().max(1500)]))
    .max(MAX_PROVIDES)
    .optional()
    .describe("exports this task provides to tasks depending on it, so they can start before it finishes"),
  /** An offline skill; only prepared plans and the rules planner set it. */
  skill: z.string().max(100).optional(),
});
export type PlanDraftTask = z.infer<typeof PlanDraftTask>;

/** What a planner returns: the goal split into tasks, a DAG through `dependsOn`. */
export const PlanDraft = z.object({ tasks: z.array(PlanDraftTask).max(200) });
export type PlanDraft = z.infer<typeof PlanDraft>;

/** One ownership rule as the planner sees it: a pattern, the roles owning it, and whether a person must approve. */
export const PlanOwnershipEntry = z.object({
  pattern: z.string().max(4096),
  owners: z.array(z.string().max(200)).max(50),
  protected: z.boolean().default(false),
});
export type PlanOwnershipEntry = z.infer<typeof PlanOwnershipEntry>;

/** Everything an LLM planner needs to draft a plan; retries carry the previous attempt's errors. */
export const PlanRequestPayload = z.object({
  goalText: z.string().min(1).max(20_000),
  roles: z
    .array(z.object({ name: z.string().min(1).max(100), charter: z.string().max(5000) }))
    .min(1)
    .max(50),
  ownership: z.array(PlanOwnershipEntry).max(1000),
  /** Owner of paths no rule covers, when the config names one. */
  defaultOwner: z.string().max(200).optional(),
  files: z.array(z.string().max(4096)).max(2000),
  filesTotal: z.number().int().min(0),
  attempt: z.number().int().min(1),
  previousErrors: z.array(z.string().max(2000)).max(100).default([]),
  /** The previous attempt's reply (draft JSON or raw text), so the model can fix rather than restart. */
  previousReply: z.string().max(50_000).optional(),
});
export type PlanRequestPayload = z.infer<typeof PlanRequestPayload>;

/** `plan.requested` on `guild.plan.request`. */
export const PlanRequest = envelopeOf("plan.requested", PlanRequestPayload);
export type PlanRequest = z.infer<typeof PlanRequest>;

/** `plan.drafted`: the reply of a planner service. */
export const PlanReply = envelopeOf(
  "plan.drafted",
  z.object({ draft: PlanDraft, planner: z.string().min(1).max(200), usage: TokenUsage }),
);
export type PlanReply = z.infer<typeof PlanReply>;
