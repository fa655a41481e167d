import type { Bus } from "../../bus/index.js";
import {
  GuildError,
  isGuildError,
  makeEnvelope,
  type PlanDraft,
  PlanReply,
  PlanRequest,
  type PlanRequestPayload,
  subjects,
  type TokenUsage,
} from "../../protocol/index.js";
import type { PlanCheck } from "./plan-check.js";

/** Options of {@link requestPlan}. */
export interface RequestPlanOptions {
  /** Planner calls before the plan is rejected (default 3). */
  attempts?: number;
  /** How long one planner call may take (default 3 minutes: a model may think for a while). */
  timeoutMs?: number;
  goalId?: string;
  /** Told about each invalid attempt, e.g. to publish `plan.attempt.failed`. */
  onInvalid?: (attempt: number, errors: string[], planner: string) => Promise<void> | void;
}

/** A plan an LLM planner drafted and the check accepted. */
export interface RequestedPlan extends PlanCheck {
  planner: string;
  usage: TokenUsage;
  attempts: number;
}

const REPLY_KEEP = 50_000;

function noPlanner(cause: unknown): GuildError {
  return new GuildError(
    "bus.no_responders",
    `no LLM planner serves ${subjects.planRequest}: start \`guild up\` or \`guild serve planner\` in a folder whose guild.yaml sets planner, or set planner: rules`,
    { cause, details: { subject: subjects.planRequest } },
  );
}

/**
 * Asks the planner service on `guild.plan.request` for a plan and checks it with `check`; an invalid
 * draft (or a reply the service could not parse) is sent back with its errors, up to `attempts` times.
 * @throws GuildError `plan.invalid` with every error of the last attempt; `bus.no_responders` with a hint.
 */
export async function requestPlan(
  bus: Bus,
  request: Omit<PlanRequestPayload, "attempt" | "previousErrors" | "previousReply">,
  options: RequestPlanOptions,
  check: (draft: PlanDraft) => PlanCheck,
): Promise<RequestedPlan> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const usage = { inputTokens: 0, outputTokens: 0 };
  let previousErrors: string[] = [];
  let previousReply: string | undefined;
  let planner = "llm";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const message = PlanRequest.parse(
      makeEnvelope({
        type: "plan.requested",
        source: "coordinator",
        goalId: options.goalId,
        payload: {
          ...request,
          attempt,
          previousErrors: previousErrors.slice(0, 100).map((e) => e.slice(0, 2000)),
          ...(previousReply === undefined ? {} : { previousReply: previousReply.slice(0, REPLY_KEEP) }),
        },
      }),
    );
    let reply: PlanReply;
    try {
      reply = await bus.request(subjects.planRequest, message, PlanReply, {
        timeoutMs: options.timeoutMs ?? 180_000,
      });
    } catch (error) {
      if (isGuildError(error, "bus.no_responders")) throw noPlanner(error);
      // The service refuses a model reply it cannot read as a plan; the model gets the reason and its text.
      if (!isGuildError(error, "plan.invalid") && !isGuildError(error, "bus.invalid_message")) throw error;
      previousErrors = [error.message];
      const raw = isGuildError(error, "plan.invalid") ? error.details?.reply : undefined;
      previousReply = typeof raw === "string" ? raw : undefined;
      await options.onInvalid?.(attempt, previousErrors, planner);
      continue;
    }
    planner = reply.payload.planner;
    usage.inputTokens += reply.payload.usage.inputTokens;
    usage.outputTokens += reply.payload.usage.outputTokens;
    const checked = check(reply.payload.draft);
    if (checked.errors.length === 0) return { ...checked, planner, usage, attempts: attempt };
    previousErrors = checked.errors;
    previousReply = JSON.stringify(reply.payload.draft);
    await options.onInvalid?.(attempt, checked.errors, planner);
  }
  throw new GuildError(
    "plan.invalid",
    `the planner gave no valid plan in ${attempts} attempt(s): ${previousErrors.join("; ")}`,
    { details: { errors: previousErrors, attempts, planner } },
  );
}
