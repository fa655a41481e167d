import type { Clock, Envelope } from "../../protocol/index.js";
import { parseInbound } from "../inbound.js";
import type { Rejections } from "../rejections.js";
import type { EnvelopeSchema, WorkConsumer, WorkItem } from "../types.js";
import type { MemoryDurable } from "./memory-queue.js";

/** Pulls one validated item at a time from an in-memory durable; invalid items are reported and termed. */
export class MemoryWorkConsumer<T extends Envelope> implements WorkConsumer<T> {
  readonly #durable: MemoryDurable;
  readonly #schema: EnvelopeSchema<T>;
  readonly #rejections: Rejections;
  readonly #clock: Clock;
  #closed = false;

  constructor(durable: MemoryDurable, schema: EnvelopeSchema<T>, rejections: Rejections, clock: Clock) {
    this.#durable = durable;
    this.#schema = schema;
    this.#rejections = rejections;
    this.#clock = clock;
  }

  async next(options: { expiresMs?: number } = {}): Promise<WorkItem<T> | null> {
    const deadline = this.#clock.now() + (options.expiresMs ?? 30_000);
    while (!this.#closed) {
      const taken = this.#durable.take();
      if (taken) {
        const { message, delivery } = taken;
        const parsed = parseInbound(message.subject, message.text, this.#schema);
        if (parsed.ok) return this.#item(parsed.value, message.subject, message.seq, delivery);
        await this.#rejections.report(parsed.rejection);
        this.#durable.settle(message.seq, delivery, "term");
        continue;
      }
      const left = deadline - this.#clock.now();
      if (left <= 0) return null;
      await this.#durable.wait(left);
    }
    return null;
  }

  #item(data: T, subject: string, seq: number, deliveryCount: number): WorkItem<T> {
    const durable = this.#durable;
    return {
      data,
      subject,
      seq,
      deliveryCount,
      ack: async () => durable.settle(seq, deliveryCount, "ack"),
      nak: async (delayMs = 0) => durable.settle(seq, deliveryCount, { nakDelayMs: delayMs }),
      working: async () => durable.settle(seq, deliveryCount, "working"),
      term: async () => durable.settle(seq, deliveryCount, "term"),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
