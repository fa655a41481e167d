// Review: takes proposals off the durable consumer, checks each one against its task, and reports the verdict.
export type { GoalPort, ReviewEvent, ReviewedGoal } from "./goal-port.js";
export { type ReviewLoopDeps, startReviewLoop } from "./review-loop.js";
export { ReviewQueue } from "./review-queue.js";
