import { type Clock, GuildEvent, NO_GOAL, subjects } from "../../protocol/index.js";
import { encodeOutbound, parseInbound } from "../inbound.js";
import type { Rejections } from "../rejections.js";
import { subjectMatches } from "../subject-match.js";
import type { EventLog, FollowOptions, Handler, Subscription } from "../types.js";

interface StoredEvent {
  seq: number;
  subject: string;
  time: number;
  text: string;
}

/** The event log kept in process: appended JSON with sequence and time, replayed then followed live. */
export class MemoryEventLog implements EventLog {
  readonly #events: StoredEvent[] = [];
  readonly #clock: Clock;
  readonly #wakers = new Set<() => void>();
  rejections: Rejections | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async append(event: GuildEvent): Promise<number> {
    const subject = subjects.event(event.goalId ?? NO_GOAL, event.source, event.type);
    const text = encodeOutbound(subject, event, GuildEvent);
    const seq = this.#events.length + 1;
    this.#events.push({ seq, subject, time: this.#clock.now(), text });
    for (const wake of this.#wakers) wake();
    return seq;
  }

  async follow(options: FollowOptions, handler: Handler<GuildEvent>): Promise<Subscription> {
    const run = this.#start(options, handler);
    return {
      unsubscribe: async () => {
        run.stop();
        await run.done;
      },
    };
  }

  async read(options: Omit<FollowOptions, "replayOnly"> = {}): Promise<GuildEvent[]> {
    const out: GuildEvent[] = [];
    await this.#start({ ...options, replayOnly: true }, (event) => {
      out.push(event);
    }).done;
    return out;
  }

  #start(options: FollowOptions, handler: Handler<GuildEvent>): { done: Promise<void>; stop(): void } {
    const filter = options.subject ?? subjects.eventsAll;
    const replayEnd = this.#events.length;
    let index = this.#startIndex(options);
    let stopped = false;
    let wake: (() => void) | undefined;
    const pump = async () => {
      while (!stopped) {
        const stored = this.#events[index];
        if (stored === undefined) {
          if (options.replayOnly) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
            this.#wakers.add(resolve);
          });
          if (wake) this.#wakers.delete(wake);
          continue;
        }
        index++;
        if (options.replayOnly && stored.seq > replayEnd) return;
        if (!subjectMatches(filter, stored.subject)) continue;
        const parsed = parseInbound(stored.subject, stored.text, GuildEvent);
        if (!parsed.ok) {
          await this.rejections?.report(parsed.rejection);
          continue;
        }
        try {
          await handler(parsed.value, { subject: stored.subject, seq: stored.seq });
        } catch {
          // A follower's failure is its own; the log keeps flowing.
        }
      }
    };
    return {
      done: pump(),
      stop: () => {
        stopped = true;
        wake?.();
      },
    };
  }

  #startIndex(options: FollowOptions): number {
    if (options.fromSeq !== undefined) return Math.max(0, options.fromSeq - 1);
    if (options.fromTime !== undefined) {
      const at = options.fromTime.getTime();
      const i = this.#events.findIndex((e) => e.time >= at);
      return i === -1 ? this.#events.length : i;
    }
    return 0;
  }
}
