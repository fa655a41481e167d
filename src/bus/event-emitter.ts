import {
  type EventPayload,
  type EventType,
  GuildEvent,
  type Logger,
  makeEnvelope,
  NO_GOAL,
} from "../protocol/index.js";
import type { Bus } from "./types.js";

/** Publishes typed events from one source; a failed append is logged, never thrown into the caller's flow. */
export interface EventEmitter {
  readonly source: string;
  emit<T extends EventType>(
    type: T,
    payload: EventPayload<T>,
    goalId?: string,
  ): Promise<GuildEvent | undefined>;
}

export function createEventEmitter(bus: Bus, source: string, logger?: Logger): EventEmitter {
  return {
    source,
    async emit(type, payload, goalId) {
      const event = GuildEvent.parse(makeEnvelope({ type, source, goalId: goalId ?? NO_GOAL, payload }));
      try {
        await bus.events.append(event);
        return event;
      } catch (error) {
        logger?.warn({ err: error, type }, "event append failed");
        return undefined;
      }
    },
  };
}
