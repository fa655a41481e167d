export { Coordinator, type CoordinatorOptions, type GoalHandle } from "./coordinator.js";
export { blockedTasks, type GoalEvent, goalMachine, readyTasks } from "./goal-machine.js";
export { stateName, statusOf } from "./goal-status.js";
export type {
  GoalContext,
  MergeOutcome,
  SettlementRecord,
  SettleOutcome,
  TaskRecord,
  VerifyResult,
} from "./goal-types.js";
export { ownedPatterns, planWithRules } from "./planner-rules.js";
export { type ConflictPair, pickWinner, settleConflicts } from "./settle-conflicts.js";
