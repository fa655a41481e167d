import type { Bus, EventEmitter } from "../../bus/index.js";
import type { OwnershipMatcher } from "../../ownership/index.js";
import { type GuildConfig, GuildError, type TaskSpec, type TokenUsage } from "../../protocol/index.js";
import { checkPlan, draftOfTasks, type PlanCheck } from "./plan-check.js";
import { buildPlanRequest, knownRolesOf } from "./plan-context.js";
import { requestPlan } from "./plan-request.js";
import { planWithRules } from "./planner-rules.js";

/** What {@link planGoal} plans from. */
export interface PlanGoalInput {
  text: string;
  /** The repository; its tracked files give the LLM planner a sample of the tree. */
  repo?: string | undefined;
  ownership: { config: GuildConfig; matcher: OwnershipMatcher };
  /** A prepared plan (`guild goal --plan`): used instead of any planner, after the same check. */
  prepared?: readonly TaskSpec[] | undefined;
  /** Needed only when `config.planner` is an LLM brain. */
  bus?: Bus | undefined;
  goalId?: string | undefined;
  /** Publishes `plan.attempt.failed`, `plan.repaired`, then `plan.created` or `plan.rejected`. */
  events?: EventEmitter | undefined;
  attempts?: number | undefined;
  timeoutMs?: number | undefined;
}

/** A checked plan and who made it (`prepared`, `rules`, or the LLM planner's name like `openai:gpt-4.1`). */
export interface PlannedGoal extends PlanCheck {
  planner: string;
  usage: TokenUsage;
}

/** Which planner a config names: `rules` (also for an offline brain) or `llm`. */
export function plannerKind(config: Pick<GuildConfig, "planner">): "rules" | "llm" {
  const planner = config.planner;
  if (planner === "rules" || planner.kind === "offline") return "rules";
  if (planner.kind === "openai" || planner.kind === "anthropic") return "llm";
  throw new GuildError(
    "config.invalid",
    `planner kind ${planner.kind} cannot plan: use rules, openai or anthropic`,
    { details: { setting: "planner.kind", value: planner.kind } },
  );
}

/** Plans without judging: the checked plan with its errors (the LLM planner still retries and throws). */
export async function draftPlan(input: PlanGoalInput): Promise<PlannedGoal> {
  const { config, matcher } = input.ownership;
  const context = { config, matcher, knownRoles: knownRolesOf(config) };
  const none = { inputTokens: 0, outputTokens: 0 };
  if (input.prepared)
    return { ...checkPlan(draftOfTasks(input.prepared), context), planner: "prepared", usage: none };
  if (plannerKind(config) === "rules") {
    const tasks = planWithRules(input.text, config);
    const checked = checkPlan(draftOfTasks(tasks), context);
    if (tasks.length === 0) checked.errors.push("no role with an offline skill owns any path");
    return { ...checked, planner: "rules", usage: none };
  }
  if (!input.bus)
    throw new GuildError("bus.unavailable", "the LLM planner needs a bus: start `guild up` first");
  const request = await buildPlanRequest({
    text: input.text,
    config,
    matcher,
    ...(input.repo === undefined ? {} : { repo: input.repo }),
  });
  const { events, goalId } = input;
  return requestPlan(
    input.bus,
    request,
    {
      ...(input.attempts === undefined ? {} : { attempts: input.attempts }),
      ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
      ...(goalId === undefined ? {} : { goalId }),
      onInvalid: async (attempt, errors, planner) => {
        await events?.emit("plan.attempt.failed", { planner, attempt, errors }, goalId);
      },
    },
    (draft) => checkPlan(draft, context),
  );
}

/**
 * Plans a goal: a prepared plan (checked), else the LLM planner over the bus when `config.planner` is an
 * LLM brain (retried with its errors), else the rules planner; the result always passed `checkPlan`.
 * @throws GuildError `plan.invalid` with every reason when no valid plan came out.
 */
export async function planGoal(input: PlanGoalInput): Promise<PlannedGoal> {
  const { events, goalId } = input;
  let planned: PlannedGoal;
  try {
    planned = await draftPlan(input);
    if (planned.errors.length > 0) {
      throw new GuildError(
        "plan.invalid",
        `the ${planned.planner} plan is invalid: ${planned.errors.join("; ")}`,
        {
          details: { errors: planned.errors, planner: planned.planner },
        },
      );
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await events?.emit("plan.rejected", { reason }, goalId);
    throw error;
  }
  if (planned.repairs.length > 0) {
    await events?.emit("plan.repaired", { planner: planned.planner, repairs: planned.repairs }, goalId);
  }
  await events?.emit("plan.created", { tasks: planned.tasks, planner: planned.planner }, goalId);
  return planned;
}
