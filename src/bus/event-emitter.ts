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
    options?: EmitOptions,
  ): Promise<GuildEvent | undefined>;
}

export interface EmitOptions {
  /**
   * Resolve with the event only once it is stored, waiting up to this long; undefined after that (it stays
   * queued and may still be stored). For a caller that must not go on unless its event is on record.
   */
  untilStoredMs?: number;
}

export function createEventEmitter(bus: Bus, source: string, logger?: Logger): EventEmitter {
  return {
    source,
    async emit(type, payload, goalId, options = {}) {
      const event = GuildEvent.parse(makeEnvelope({ type, source, goalId: goalId ?? NO_GOAL, payload }));
      try {
        if (options.untilStoredMs !== undefined) {
          const seq = await withinMs(bus.events.append(event, { untilStored: true }), options.untilStoredMs);
          if (seq === undefined) logger?.warn({ id: event.id, type }, "event not stored in time");
          return seq === undefined ? undefined : event;
        }
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

/** What `promise` resolves with within `ms`, else undefined. */
async function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
