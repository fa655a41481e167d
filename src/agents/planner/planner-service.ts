import { type Bus, type Subscription, serviceQueues } from "../../bus/index.js";
import {
  type BrainConfig,
  createLogger,
  GuildError,
  type Logger,
  makeEnvelope,
  PlanReply,
  PlanRequest,
  type PlanRequestPayload,
  subjects,
  toGuildError,
} from "../../protocol/index.js";
import type { LoopMessage, ModelTurn } from "../brains/chat-model.js";
import { completeWithAnswer } from "../brains/structured-answer.js";
import { parsePlanReply } from "./parse-plan-reply.js";
import { planRetryPrompt, planSystemPrompt, planUserPrompt, SUBMIT_PLAN_TOOL } from "./plan-prompt.js";
import { type PlannerModelOptions, plannerModelOf } from "./planner-model.js";

/** How a planner service is set up: its brain, where keys come from, and its limits. */
export interface PlannerServiceOptions extends PlannerModelOptions {
  /** An LLM brain (openai or anthropic); keys and endpoints come from `env`. */
  brainConfig: BrainConfig;
  env?: NodeJS.ProcessEnv;
  /** Source token on replies; default `planner`. */
  source?: string;
  /**
   * Queue group, so several planner replicas share the requests; default `planners`, the only group
   * the `planner` identity may join.
   */
  queue?: string;
  logger?: Logger;
}

/** The conversation for one attempt: the request, then (on a retry) the rejected reply and its errors. */
function messagesOf(request: PlanRequestPayload): LoopMessage[] {
  const messages: LoopMessage[] = [{ role: "user", text: planUserPrompt(request) }];
  if (request.previousErrors.length === 0) return messages;
  if (request.previousReply?.trim()) {
    messages.push({ role: "assistant", text: request.previousReply, toolCalls: [] });
  }
  messages.push({ role: "user", text: planRetryPrompt(request.previousErrors) });
  return messages;
}

/** The plan text of a turn: its structured answer, else the submit_plan call's arguments, else its text. */
function planTextOf(turn: ModelTurn): string {
  if (turn.structured !== undefined) return turn.structured;
  const call = turn.toolCalls.find((c) => c.name === SUBMIT_PLAN_TOOL.name);
  return call ? call.arguments : turn.text;
}

/**
 * Serves `guild.plan.request` with an LLM: answers with the drafted plan (schema-checked here, checked
 * against ownership by the coordinator). A reply that is no plan is answered with a `plan.invalid`
 * GuildError (details: `reply`, `usage`) so the coordinator can retry; a failing model with `brain.failed`.
 * @example await startPlannerService(bus, { brainConfig: { kind: "openai", model: "gpt-4.1" } })
 */
export async function startPlannerService(bus: Bus, options: PlannerServiceOptions): Promise<Subscription> {
  const planner = plannerModelOf(options.brainConfig, options.env ?? process.env, options);
  const source = options.source ?? "planner";
  const logger = (options.logger ?? createLogger()).child({ component: "planner", planner: planner.name });
  return bus.serve(
    subjects.planRequest,
    PlanRequest,
    async (request) => {
      let turn: ModelTurn;
      try {
        ({ turn } = await completeWithAnswer(
          planner.model,
          {
            system: planSystemPrompt(),
            messages: messagesOf(request.payload),
            tools: [SUBMIT_PLAN_TOOL],
            answer: SUBMIT_PLAN_TOOL,
            signal: AbortSignal.timeout(options.timeoutMs ?? 180_000),
          },
          logger.child({ goalId: request.goalId }),
        ));
      } catch (e) {
        throw new GuildError("brain.failed", `planner ${planner.name} failed: ${toGuildError(e).message}`, {
          cause: e,
          details: { planner: planner.name },
        });
      }
      const text = planTextOf(turn);
      const parsed = parsePlanReply(text);
      if (!parsed.ok) {
        throw new GuildError("plan.invalid", `planner ${planner.name}: ${parsed.reason}`, {
          details: { planner: planner.name, reply: text.slice(0, 20_000), usage: turn.usage },
        });
      }
      return PlanReply.parse(
        makeEnvelope({
          type: "plan.drafted",
          source,
          goalId: request.goalId,
          payload: { draft: parsed.draft, planner: planner.name, usage: turn.usage },
        }),
      );
    },
    { queue: options.queue ?? serviceQueues.planner },
  );
}
