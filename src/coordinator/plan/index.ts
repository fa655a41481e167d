// Planning: turns a goal's text into a checked task graph (rules, or a planner agent over the bus).
export {
  checkPlan,
  draftOfTasks,
  type PlanCheck,
  type PlanCheckContext,
  slugifyTaskId,
} from "./plan-check.js";
export { buildPlanRequest, knownRolesOf, ownershipSummary, sampleFiles } from "./plan-context.js";
export { draftPlan, type PlanGoalInput, type PlannedGoal, planGoal, plannerKind } from "./plan-goal.js";
export { findCycles, topologicalOrder } from "./plan-graph.js";
export { type CleanedPath, cleanExpectedPath, probePath } from "./plan-paths.js";
export { type RequestedPlan, type RequestPlanOptions, requestPlan } from "./plan-request.js";
export { ownedPatterns, planWithRules } from "./planner-rules.js";
