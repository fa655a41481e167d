export {
  type GoalRecord,
  type PendingDecision,
  pendingDecisions,
  readGoals,
  taskCounts,
} from "./goal-records.js";
export {
  controlGoal,
  decide,
  type GoalRequest,
  goalOfDecision,
  requestGoal,
  tellAgent,
} from "./goal-requests.js";
