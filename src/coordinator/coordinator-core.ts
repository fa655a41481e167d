import type { Actor, InspectionEvent, Observer } from "xstate";
import type { Bus, EventEmitter } from "../bus/index.js";
import type { IncrementalMerge } from "../git/index.js";
import type { Ownership } from "../ownership/index.js";
import type { Clock, GoalStatus, Logger } from "../protocol/index.js";
import type { GoalContext, GoalStore, goalMachine, HandoffSecrets } from "./goal/index.js";

/** A goal this coordinator runs: its machine, its ownership rules and its merge in progress. */
export interface GoalHandle {
  actor: Actor<typeof goalMachine>;
  ownership: Ownership;
  /** Merges accepted proposals while the goal runs, so the final merge is a ref update. */
  premerge: IncrementalMerge;
  finished: Promise<GoalContext & { status: GoalStatus }>;
}

/** What the coordinator's modules share: its connections, its goal records and the goals it runs. */
export interface CoordinatorCore {
  bus: Bus;
  events: EventEmitter;
  logger: Logger;
  clock: Clock;
  store: GoalStore;
  goals: Map<string, GoalHandle>;
  handoffSecrets: HandoffSecrets;
  /** Directories prepended to PATH for the test command (guild's own node_modules/.bin). */
  extraPath?: string[];
  /** Receives the goal machines' XState inspection events; default none. */
  inspect?: Observer<InspectionEvent>;
}
