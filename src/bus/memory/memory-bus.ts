import { type Clock, type Envelope, guildError, type Logger, systemClock } from "../../protocol/index.js";
import { encodeOutbound, parseInbound } from "../inbound.js";
import { queueStream } from "../queues.js";
import { Rejections } from "../rejections.js";
import { answer, readReply } from "../reply.js";
import type {
  Bus,
  EnqueueOptions,
  EnvelopeSchema,
  Handler,
  MessageMeta,
  QueueName,
  RejectionListener,
  RequestOptions,
  Subscription,
  WorkConsumer,
  WorkConsumerOptions,
} from "../types.js";
import { MemoryBlobStore } from "./memory-blobs.js";
import { MemoryWorkConsumer } from "./memory-consumer.js";
import { MemoryCore, type ReplyTo, SerialQueue } from "./memory-core.js";
import { MemoryEventLog } from "./memory-event-log.js";
import { MemoryKeyValue } from "./memory-kv.js";
import { MemoryDurable, MemoryStream } from "./memory-queue.js";

export interface MemoryBusOptions {
  /** Drives ack deadlines, nak delays and request timeouts; tests pass a `SimulatedClock`. */
  clock?: Clock;
  logger?: Logger;
}

/** The in-process Bus: the same semantics as NATS for everything that needs no durability across processes. */
export class MemoryBus implements Bus {
  readonly kind = "memory" as const;
  readonly events: MemoryEventLog;
  readonly kv = new MemoryKeyValue();
  // In one process an agent's presence ends with the process, so no TTL is needed here.
  readonly presence = new MemoryKeyValue();
  readonly blobs = new MemoryBlobStore();
  readonly #clock: Clock;
  readonly #core = new MemoryCore();
  readonly #rejections: Rejections;
  readonly #streams: Record<QueueName, MemoryStream>;
  readonly #durables = new Map<string, MemoryDurable>();
  #closed = false;

  constructor(options: MemoryBusOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.events = new MemoryEventLog(this.#clock);
    this.#rejections = new Rejections((event) => this.events.append(event), options.logger);
    this.events.rejections = this.#rejections;
    this.#streams = {
      tasks: new MemoryStream(this.#clock, true),
      proposals: new MemoryStream(this.#clock, false),
    };
  }

  async publish(subject: string, message: Envelope): Promise<void> {
    this.#open();
    this.#core.publish(subject, encodeOutbound(subject, message));
  }

  async subscribe<T extends Envelope>(
    subject: string,
    schema: EnvelopeSchema<T>,
    handler: Handler<T>,
    options: { queue?: string } = {},
  ): Promise<Subscription> {
    return this.#listen(subject, options.queue, async (text, meta) => {
      const parsed = parseInbound(meta.subject, text, schema);
      if (parsed.ok) await handler(parsed.value, meta);
      else await this.#rejections.report(parsed.rejection);
    });
  }

  async request<T extends Envelope>(
    subject: string,
    message: Envelope,
    replySchema: EnvelopeSchema<T>,
    options: RequestOptions = {},
  ): Promise<T> {
    this.#open();
    const text = encodeOutbound(subject, message);
    const timeoutMs = options.timeoutMs ?? 5000;
    const raw = await new Promise<string>((resolve, reject) => {
      const timer = this.#clock.setTimeout(
        () =>
          reject(
            guildError(
              "bus.timeout",
              { subject, timeoutMs },
              `no reply on ${subject} within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      const delivered = this.#core.publish(subject, text, (reply) => {
        this.#clock.clearTimeout(timer);
        resolve(reply);
      });
      if (delivered === 0) {
        this.#clock.clearTimeout(timer);
        reject(guildError("bus.no_responders", { subject }, `no one serves ${subject}`));
      }
    });
    return readReply(subject, raw, replySchema, this.#rejections);
  }

  async serve<Req extends Envelope>(
    subject: string,
    schema: EnvelopeSchema<Req>,
    handler: (request: Req, meta: MessageMeta) => Promise<Envelope>,
    options: { queue?: string } = {},
  ): Promise<Subscription> {
    return this.#listen(subject, options.queue, async (text, meta, reply) => {
      const parsed = parseInbound(meta.subject, text, schema);
      if (!parsed.ok) {
        await this.#rejections.report(parsed.rejection);
        const error = guildError(
          "bus.invalid_message",
          { subject: meta.subject },
          `request on ${meta.subject} was invalid`,
        );
        reply?.(JSON.stringify({ error: error.toJSON() }));
        return;
      }
      const out = await answer(meta.subject, () => handler(parsed.value, meta));
      reply?.(out);
    });
  }

  async enqueue(
    queue: QueueName,
    subject: string,
    message: Envelope,
    options: EnqueueOptions = {},
  ): Promise<{ duplicate: boolean }> {
    this.#open();
    queueStream(queue, subject);
    const { duplicate } = this.#streams[queue].append(
      subject,
      encodeOutbound(subject, message),
      options.msgId,
    );
    return { duplicate };
  }

  async consumer<T extends Envelope>(
    queue: QueueName,
    options: WorkConsumerOptions<T>,
  ): Promise<WorkConsumer<T>> {
    this.#open();
    queueStream(queue, options.subject);
    const key = `${queue}/${options.durable}`;
    const ackWaitMs = options.ackWaitMs ?? 30_000;
    const maxDeliver = options.maxDeliver ?? 5;
    let durable = this.#durables.get(key);
    if (durable) {
      // As with a NATS durable, the latest options win and the position is kept.
      durable.filter = options.subject;
      durable.ackWaitMs = ackWaitMs;
      durable.maxDeliver = maxDeliver;
    } else {
      durable = new MemoryDurable(this.#streams[queue], this.#clock, options.subject, ackWaitMs, maxDeliver);
      this.#durables.set(key, durable);
    }
    return new MemoryWorkConsumer(durable, options.schema, this.#rejections, this.#clock);
  }

  onRejected(listener: RejectionListener): () => void {
    return this.#rejections.on(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #listen(
    subject: string,
    queue: string | undefined,
    onMessage: (text: string, meta: MessageMeta, reply: ReplyTo | undefined) => Promise<void>,
  ): Subscription {
    this.#open();
    const serial = new SerialQueue();
    const remove = this.#core.add(subject, queue, (actual, text, reply) =>
      serial.push(() => onMessage(text, { subject: actual }, reply)),
    );
    return {
      unsubscribe: async () => {
        remove();
        serial.close();
      },
    };
  }

  #open(): void {
    if (this.#closed) throw guildError("bus.closed", {}, "the memory bus is closed");
  }
}
