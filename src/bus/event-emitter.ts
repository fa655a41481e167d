import {
  type EventPayload,
  type EventType,
  GuildEvent,
  type Logger,
  makeEnvelope,
  NO_GOAL,
} from "../protocol/index.js";
import type { Bus } from "./types.js";

/**
 * Publishes typed events from one source; a failed append is logged, never thrown into the caller's flow.
 * `emit` resolves with the event once it is stored, or once the stream did not acknowledge it and it waits
 * in the bus's outbox to be retried in order (NATS: no leader, a restart); so a caller waits for the store
 * as long as the stream answers, and no longer than one publish attempt when it does not. Undefined means
 * the event will not be stored (refused, or dropped from a full outbox).
 */
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
        const seq = await bus.events.append(event);
        if (seq === undefined) logger?.debug({ id: event.id, type }, "event queued for a retry");
        return event;
      } catch (error) {
        logger?.warn({ err: error, type }, "event append failed");
        return undefined;
      }
    },
  };
}
