import { type Actor, createActor, type InspectionEvent, type Observer, type Snapshot } from "xstate";
import type { Bus, EventEmitter } from "../../bus/index.js";
import { IncrementalMerge } from "../../git/index.js";
import type { Ownership } from "../../ownership/index.js";
import type { Clock } from "../../protocol/index.js";
import { provideGoalEffects } from "./goal-effects.js";
import type { GoalEvent, goalMachine } from "./goal-machine.js";
import type { GoalContext } from "./goal-types.js";

export interface GoalActorDeps {
  bus: Bus;
  events: EventEmitter;
  clock: Clock;
  extraPath?: string[];
  /** Receives the goal machine's XState inspection events; default none. */
  inspect?: Observer<InspectionEvent>;
}

/** A goal's machine, bound to its effects, and the merge it prepares while it runs. */
export interface GoalActor {
  actor: Actor<typeof goalMachine>;
  premerge: IncrementalMerge;
  /** Sends to the actor: what a re-armed wait uses (events sent before it starts are queued). */
  send(event: GoalEvent): void;
}

/**
 * Builds (does not start) a goal's actor: a new goal from its first context, or one taken over from its
 * persisted `snapshot`. Its effects send back to the actor itself (an unserved task's wait ending it),
 * so the actor is bound to them once it exists.
 */
export function createGoalActor(
  deps: GoalActorDeps,
  ownership: Ownership,
  context: GoalContext,
  snapshot?: Snapshot<unknown>,
): GoalActor {
  const premerge = new IncrementalMerge(context.repo, context.baseCommit);
  let bound: Actor<typeof goalMachine> | undefined;
  const send = (event: GoalEvent) => bound?.send(event);
  const machine = provideGoalEffects({
    bus: deps.bus,
    events: deps.events,
    ownership,
    premerge,
    clock: deps.clock,
    send,
    ...(deps.extraPath ? { extraPath: deps.extraPath } : {}),
  });
  const actor = createActor(machine, {
    input: context,
    ...(snapshot ? { snapshot } : {}),
    ...(deps.inspect ? { inspect: deps.inspect } : {}),
  });
  bound = actor;
  return { actor, premerge, send };
}
