import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type OrderedConsumerOptions,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { GuildEvent, type Logger, NO_GOAL, stores, subjects } from "../../protocol/index.js";
import { encodeOutbound, type Inbound, parseInbound } from "../inbound.js";
import type { Rejections } from "../rejections.js";
import type { AppendOptions, EventLog, FollowOptions, Handler, Subscription } from "../types.js";
import { EventOutbox, type OutboxOptions } from "./event-outbox.js";

/** The event log on the `GUILD_EVENTS` stream: plain JSON on `guild.evt.<goal>.<source>.<type>`. */
export class NatsEventLog implements EventLog {
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #logger: Logger | undefined;
  readonly #outbox: EventOutbox;
  rejections: Rejections | undefined;

  constructor(js: JetStreamClient, jsm: JetStreamManager, logger?: Logger, outbox: OutboxOptions = {}) {
    this.#js = js;
    this.#jsm = jsm;
    this.#logger = logger;
    // The envelope id is the msgId: a retried publish whose first ack was lost is stored once.
    const publish = async (subject: string, data: string, msgId: string) =>
      (await js.publish(subject, data, { msgID: msgId })).seq;
    this.#outbox = new EventOutbox(publish, { logger, ...outbox });
  }

  /**
   * Resolves with the event's sequence once stored; with undefined when the stream did not acknowledge it
   * and it waits in the outbox to be retried, in order (see EventOutbox). Rejects only for an event that
   * can never be stored (an invalid subject, a refusal that would repeat, the outbox full or closed).
   */
  async append(event: GuildEvent, options: AppendOptions = {}): Promise<number | undefined> {
    const subject = subjects.event(event.goalId ?? NO_GOAL, event.source, event.type);
    const data = encodeOutbound(subject, event, GuildEvent);
    return this.#outbox.append(subject, data, event.id, options.untilStored === true);
  }

  /** Events waiting for the stream to acknowledge them, and the outbox's counters. */
  outboxState(): { events: number; bytes: number } & EventOutbox["counts"] {
    return { ...this.#outbox.queued, ...this.#outbox.counts };
  }

  /** The connection is back: events in flight are published again now rather than after their timeout. */
  reconnected(): void {
    this.#outbox.reconnected();
  }

  /** Stops taking events and stores the queued ones for up to `flushMs`; returns how many were left unsent. */
  close(flushMs: number): Promise<number> {
    return this.#outbox.close(flushMs);
  }

  async follow(options: FollowOptions, handler: Handler<GuildEvent>): Promise<Subscription> {
    const run = await this.#start(options, handler);
    return { unsubscribe: async () => run.stop() };
  }

  async read(options: Omit<FollowOptions, "replayOnly"> = {}): Promise<GuildEvent[]> {
    const out: GuildEvent[] = [];
    const run = await this.#start({ ...options, replayOnly: true }, (event) => {
      out.push(event);
    });
    await run.done;
    return out;
  }

  async #start(
    options: FollowOptions,
    handler: Handler<GuildEvent>,
  ): Promise<{ done: Promise<void>; stop(): Promise<void> }> {
    const filter = options.subject ?? subjects.eventsAll;
    const start = await this.#startOf(options);
    // A start resolved from a time may reach back a few messages (see #seqAtOrAfter); these are dropped here.
    const fromNanos = options.fromTime ? BigInt(options.fromTime.getTime()) * 1_000_000n : undefined;
    if (options.replayOnly && (await this.#pending(filter, start)) === 0) {
      return { done: Promise.resolve(), stop: async () => {} };
    }
    const consumer = await this.#js.consumers.get(stores.events, { filter_subjects: filter, ...start });
    const messages = await consumer.consume({ max_messages: 256 });
    const done = (async () => {
      for await (const m of messages) {
        if (fromNanos !== undefined && m.info.timestampNanos < fromNanos) {
          if (options.replayOnly && m.info.pending === 0) break;
          continue;
        }
        const parsed = checkedEvent(m.subject, parseInbound(m.subject, m.data, GuildEvent));
        if (parsed.ok) {
          try {
            // Await only handlers that are async, so a synchronous follower costs no promise per event.
            const out = handler(parsed.value, { subject: m.subject, seq: m.seq });
            if (out instanceof Promise) await out;
          } catch (e) {
            this.#logger?.error({ err: e, subject: m.subject }, "event follower threw");
          }
        } else {
          await this.rejections?.report(parsed.rejection);
        }
        if (options.replayOnly && m.info.pending === 0) break;
      }
    })();
    return {
      done: done.finally(() => messages.stop()),
      stop: async () => {
        messages.stop();
        await done.catch(() => {});
      },
    };
  }

  /**
   * Where a follow starts. A time is turned into a stream sequence first: an ordered consumer that starts
   * by time cannot be recreated after a server restart (nats.js 3.4 keeps `opt_start_time` beside the
   * start sequence it resumes from, the server refuses the pair, and the rejection is unhandled).
   */
  async #startOf(options: FollowOptions): Promise<Partial<OrderedConsumerOptions>> {
    if (options.fromSeq !== undefined) {
      return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Math.max(1, options.fromSeq) };
    }
    if (options.fromTime !== undefined) {
      const seq = await this.#seqAtOrAfter(options.fromTime);
      return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: seq };
    }
    return { deliver_policy: DeliverPolicy.All };
  }

  /**
   * The first sequence at or after `time`, or a little before it: the stream's last sequence is read
   * first, then a probe consumer counts the messages from `time` on, so messages appended between the
   * two only move the answer earlier, never past a message that is due.
   */
  async #seqAtOrAfter(time: Date): Promise<number> {
    const last = (await this.#jsm.streams.info(stores.events)).state.last_seq;
    const info = await this.#jsm.consumers.add(stores.events, {
      ack_policy: AckPolicy.None,
      inactive_threshold: nanos(30_000),
      mem_storage: true,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: time.toISOString(),
    });
    await this.#jsm.consumers.delete(stores.events, info.name).catch(() => false);
    return Math.max(1, last - info.num_pending + 1);
  }

  /** Counts what a replay would deliver, with a short-lived probe consumer, so an empty replay ends at once. */
  async #pending(filter: string, start: Partial<OrderedConsumerOptions>): Promise<number> {
    const config: Partial<ConsumerConfig> = {
      filter_subject: filter,
      ack_policy: AckPolicy.None,
      inactive_threshold: nanos(30_000),
      mem_storage: true,
      deliver_policy: start.deliver_policy ?? DeliverPolicy.All,
      ...(start.opt_start_seq === undefined ? {} : { opt_start_seq: start.opt_start_seq }),
      ...(start.opt_start_time === undefined ? {} : { opt_start_time: start.opt_start_time }),
    };
    const info = await this.#jsm.consumers.add(stores.events, config);
    await this.#jsm.consumers.delete(stores.events, info.name).catch(() => false);
    return info.num_pending;
  }
}

/**
 * An event whose subject is not the one its goal, source and type name is refused: NATS permissions confine
 * an identity to subjects with its own agent ids, and this carries that guarantee to the envelope's `source`.
 */
function checkedEvent(subject: string, parsed: Inbound<GuildEvent>): Inbound<GuildEvent> {
  if (!parsed.ok) return parsed;
  const event = parsed.value;
  let expected: string;
  try {
    expected = subjects.event(event.goalId ?? NO_GOAL, event.source, event.type);
  } catch {
    expected = "(no valid subject)";
  }
  if (expected === subject) return parsed;
  return {
    ok: false,
    rejection: {
      subject,
      reason: `event on ${subject} claims goal ${event.goalId ?? NO_GOAL}, source ${event.source}: its subject would be ${expected}`,
      issues: [],
      sample: JSON.stringify(event).slice(0, 2000),
    },
  };
}
