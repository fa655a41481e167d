export {
  type ArbitrationOptions,
  type ArbitrationOutcome,
  type ArbitrationResult,
  arbitrate,
  requestArbitration,
} from "./arbiter-request.js";
export { Coordinator, type CoordinatorOptions, type GoalHandle } from "./coordinator.js";
export { type GoalEvent, goalMachine } from "./goal-machine.js";
export { stateName, statusOf } from "./goal-status.js";
export { blockedTasks, readyTasks } from "./goal-tasks.js";
export type {
  GoalContext,
  MergeOutcome,
  SettlementRecord,
  SettleOutcome,
  TaskRecord,
  VerifyResult,
} from "./goal-types.js";
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
export { cleanExpectedPath, probePath } from "./plan-paths.js";
export { type RequestedPlan, type RequestPlanOptions, requestPlan } from "./plan-request.js";
export { ownedPatterns, planWithRules } from "./planner-rules.js";
export { type ConflictPair, pickWinner, settleConflicts } from "./settle-conflicts.js";
