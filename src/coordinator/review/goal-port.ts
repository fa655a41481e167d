import type { Ownership } from "../../ownership/index.js";
import type { GoalStatus } from "../../protocol/index.js";
import type { GoalContext, GoalEvent } from "../goal/index.js";

/** The events a review hands a goal: a proposal's receipt and its verdict. */
export type ReviewEvent = Extract<
  GoalEvent,
  { type: "PROPOSAL.RECEIVED" | "PROPOSAL.ACCEPTED" | "PROPOSAL.AWAITING" | "PROPOSAL.REJECTED" }
>;

/** One goal as review sees it: its context and ownership rules, where its verdicts go, its background merge. */
export interface ReviewedGoal {
  readonly ownership: Ownership;
  /** The goal's context as it is now (read afresh at each call). */
  context(): GoalContext;
  /** Hands the goal a receipt or a verdict; the goal drops verdicts for attempts that are no longer current. */
  send(event: ReviewEvent): void;
  /** Offers the goal's accepted proposals to its background merge, so the final merge is a ref update. */
  offerMerge(): void;
  /**
   * How the goal ended (done, failed or cancelled) once its machine is final, else undefined. An ended goal
   * stays findable (its record and end steps still need it), but a proposal for it is no longer reviewed.
   */
  ended(): GoalStatus | undefined;
}

/**
 * The coordinator's goals as review may use them, instead of the coordinator's own map of running goals:
 * review reads and reports, and never starts, stops or replaces a goal.
 */
export interface GoalPort {
  /** The goal this coordinator runs under `goalId`; undefined when it has none (unknown, or taken over). */
  find(goalId: string): ReviewedGoal | undefined;
}
