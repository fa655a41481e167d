// A goal's life: its state machine and effects, dispatch, decisions, verification, and durable records.
export { claimHolderProblem } from "./claim-holder.js";
export { cancelGoalAgents } from "./durable-cancel.js";
export { createGoalActor, type GoalActor, type GoalActorDeps } from "./goal-actor.js";
export { answerGoal } from "./goal-control.js";
export { type EffectDeps, provideGoalEffects } from "./goal-effects.js";
export { type EndedGoal, finishGoal, type GoalEndDeps } from "./goal-end.js";
export { type EndReportDeps, type HandoffSecrets, reportGoalCost, runHandoff } from "./goal-end-report.js";
export { type DispatchOutcome, type GoalEvent, goalMachine } from "./goal-machine.js";
export { announceEnd, type RecoveryDeps, type RestoredGoal, restoreGoals } from "./goal-recovery.js";
export { stateName, statusOf } from "./goal-status.js";
export { type GoalRecord, GoalStore, isFinalStatus, type StoredGoal } from "./goal-store.js";
export { blockedTasks, chainDepths, dispatchWindowOf, readyTasks } from "./goal-tasks.js";
export type {
  Decision,
  GoalContext,
  MergeOutcome,
  SettlementRecord,
  SettleOutcome,
  TaskRecord,
  TaskStatus,
  VerifyResult,
} from "./goal-types.js";
export { deleteProposalBundles, goalOfProposalKey, sweepProposalBundles } from "./proposal-bundles.js";
export { mergeEntries } from "./verify-integration.js";
