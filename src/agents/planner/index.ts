export { firstJsonValue, type ParsedPlan, parsePlanReply } from "./parse-plan-reply.js";
export { planRetryPrompt, planSystemPrompt, planUserPrompt, SUBMIT_PLAN_TOOL } from "./plan-prompt.js";
export { type PlannerModel, type PlannerModelOptions, plannerModelOf } from "./planner-model.js";
export { type PlannerServiceOptions, startPlannerService } from "./planner-service.js";
