import type { Consumer, JsMsg } from "@nats-io/jetstream";
import type { Envelope, Logger } from "../../protocol/index.js";
import { parseInbound } from "../inbound.js";
import type { Rejections } from "../rejections.js";
import type { EnvelopeSchema, WorkConsumer, WorkItem } from "../types.js";

/** The JetStream client refuses pull expiries under a second. */
const MIN_EXPIRES_MS = 1000;

/** Pulls ONE message per `next()` from a durable pull consumer, so a worker never hoards work it cannot start. */
export class NatsWorkConsumer<T extends Envelope> implements WorkConsumer<T> {
  /** The bound consumer, or how to bind it (null while the coordinator has not created it). */
  #consumer: Consumer | (() => Promise<Consumer | null>);
  readonly #schema: EnvelopeSchema<T>;
  readonly #rejections: Rejections;
  readonly #logger: Logger | undefined;
  readonly #onRestart: (reason: string) => void;
  #closed = false;
  // Resolves on close(): an in-flight pull (which may never return while NATS is gone) is abandoned.
  #markClosed: () => void = () => {};
  readonly #whenClosed = new Promise<null>((resolve) => {
    this.#markClosed = () => resolve(null);
  });

  constructor(
    consumer: Consumer | (() => Promise<Consumer | null>),
    schema: EnvelopeSchema<T>,
    rejections: Rejections,
    onRestart: (reason: string) => void,
    logger?: Logger,
  ) {
    this.#consumer = consumer;
    this.#schema = schema;
    this.#rejections = rejections;
    this.#onRestart = onRestart;
    this.#logger = logger;
  }

  async next(options: { expiresMs?: number } = {}): Promise<WorkItem<T> | null> {
    const deadline = Date.now() + (options.expiresMs ?? 30_000);
    let failing = false;
    while (!this.#closed) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      let m: JsMsg | null;
      try {
        const consumer = await this.#bound();
        if (!consumer) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, Math.max(0, left))));
          continue;
        }
        const pull = consumer.next({ expires: Math.max(MIN_EXPIRES_MS, left) });
        pull.catch(() => {});
        m = await Promise.race([pull, this.#whenClosed]);
        if (this.#closed) {
          // A message that arrives after close goes back for another worker at once.
          void pull.then((late) => late?.nak()).catch(() => {});
          return null;
        }
      } catch (e) {
        // A reconnect or a missed heartbeat ends this pull; the durable is server-side, so pull again.
        this.#logger?.warn({ err: e }, "pull failed; retrying");
        if (!failing) this.#onRestart((e as Error).message ?? String(e));
        failing = true;
        await Promise.race([
          new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(0, left)))),
          this.#whenClosed,
        ]);
        continue;
      }
      failing = false;
      if (m === null) continue;
      const parsed = parseInbound(m.subject, m.data, this.#schema);
      if (parsed.ok) return item(m, parsed.value);
      await this.#rejections.report(parsed.rejection);
      m.term(`rejected: ${parsed.rejection.reason}`);
    }
    return null;
  }

  async #bound(): Promise<Consumer | null> {
    if (typeof this.#consumer !== "function") return this.#consumer;
    const consumer = await this.#consumer();
    if (consumer) this.#consumer = consumer;
    return consumer;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#markClosed();
  }
}

function item<T>(m: JsMsg, data: T): WorkItem<T> {
  return {
    data,
    subject: m.subject,
    seq: m.seq,
    deliveryCount: m.info.deliveryCount,
    ack: async () => {
      // Wait for the server's confirmation, so an ack lost in a reconnect is not mistaken for done.
      await m.ackAck();
    },
    nak: async (delayMs?: number) => m.nak(delayMs),
    working: async () => m.working(),
    term: async (reason?: string) => m.term(reason),
  };
}
