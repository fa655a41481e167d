import type { Proposal, TaskSpec } from "../../protocol/index.js";

/** `awaiting`: its proposal waits for a person's decision (protected paths, or a conflict only a person can settle). */
export type TaskStatus =
  | "pending"
  | "dispatched"
  | "proposed"
  | "awaiting"
  | "accepted"
  | "rejected"
  | "failed";

/** A decision that waits for a person: `guild review` lists it, `guild approve` / `guild reject` settle it. */
export interface Decision {
  /** `<goal>:<n>`, so the CLI finds the goal from the id alone. */
  id: string;
  kind: "protected" | "conflict";
  taskIds: string[];
  paths: string[];
  reason: string;
  diff: string;
  createdAt: string;
  resolution?: { approved: boolean; reason: string; winner?: string };
}

/** The coordinator's view of one task of a plan. */
export interface TaskRecord {
  spec: TaskSpec;
  status: TaskStatus;
  attempt: number;
  /** Base commit the current attempt works on (the goal base, or a winner's head when revising on top). */
  base: string;
  proposal?: Proposal;
  /** Ref the proposal's bundle was imported under. */
  ref?: string;
  reason?: string;
  revisions: number;
  /** Head of the last proposal sent back (it broke the tests, or review refused its content). */
  sentBackHead?: string;
  /** Clock time (ms) the current attempt was dispatched. */
  dispatchedAt?: number;
  /** Clock time (ms) the current attempt's proposal was received: with `dispatchedAt`, how long tasks take. */
  proposedAt?: number;
}

export interface SettlementRecord {
  winner: string;
  loser: string;
  policy: string;
  reason: string;
  files: string[];
}

export interface VerifyResult {
  passed: boolean;
  exitCode: number | null;
  output: string;
  command: string[];
  /** When the tests failed: the proposal whose merge made them fail, found by bisecting the merge order. */
  culprit?: string;
  /**
   * When the tests failed: where the integration branch was moved back to, the last merge that passed
   * (the proposals it holds) or the base (none).
   */
  kept?: { head: string; merged: string[] };
}

/** Everything the coordinator knows about one goal; persisted with the machine snapshot. */
export interface GoalContext {
  goalId: string;
  text: string;
  repo: string;
  baseRef: string;
  baseCommit: string;
  /** A plan the submitter prepared; used instead of the planner, after the same checks. */
  preparedPlan?: TaskSpec[];
  tasks: Record<string, TaskRecord>;
  order: string[];
  settlements: SettlementRecord[];
  decisions: Decision[];
  merged: string[];
  /**
   * Per role, how many of its tasks may be dispatched and undecided at once (from guild.yaml: the role's
   * replicas); roles not named are not limited.
   */
  dispatchWindow?: Record<string, number>;
  integrationHead?: string;
  verify?: VerifyResult;
  reason?: string;
}

export interface MergeOutcome {
  head: string;
  merged: string[];
  conflicts: { id: string; files: string[] }[];
}

/** What settlement decided: revisions to send, proposals to drop. */
export interface SettleOutcome {
  settlements: SettlementRecord[];
  /** Proposals whose head settlement replaced (an arbiter's combination of both sides). */
  heads?: { taskId: string; head: string }[];
  /** Conflicts no policy could settle, waiting for a person. */
  decisions?: Decision[];
  revise: { taskId: string; base: string; feedback: string }[];
  reject: { taskId: string; reason: string }[];
}
