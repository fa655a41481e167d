import { JetStreamApiError } from "@nats-io/jetstream";
import {
  ClosedConnectionError,
  DrainingConnectionError,
  InvalidArgumentError,
  InvalidSubjectError,
  PermissionViolationError,
  RequestError,
} from "@nats-io/transport-node";
import { GuildError, type Logger } from "../../protocol/index.js";

/** What the outbox may hold while the stream does not acknowledge: beyond either cap the oldest is dropped. */
export interface OutboxLimits {
  maxEvents: number;
  maxBytes: number;
}

export const OUTBOX_LIMITS: OutboxLimits = { maxEvents: 10_000, maxBytes: 16 * 1024 * 1024 };

/** Publishes one event with `msgId` as its JetStream message id; resolves with its stream sequence. */
export type PublishOnce = (subject: string, data: string, msgId: string) => Promise<number>;

export interface OutboxOptions {
  limits?: Partial<OutboxLimits>;
  logger?: Logger | undefined;
  /** How many events are published at once while the stream acknowledges (default 256). */
  window?: number;
  /** The first and the longest pause between retries while it does not (default 100 ms and 2 s). */
  retryMs?: { min: number; max: number };
}

interface Pending {
  msgId: string;
  subject: string;
  data: string;
  bytes: number;
  /** Its append resolved before it was stored: it is stored late, after a retry. */
  deferred?: boolean;
  /** Settles the append that queued it: with the sequence, or undefined once it waits for a retry. */
  settle?: ((seq: number | undefined) => void) | undefined;
  /** Its append waits until it is stored (or can never be): not released when the stream stops acknowledging. */
  holds?: boolean;
  fail?: ((error: unknown) => void) | undefined;
}

/**
 * The events of one connection on their way to GUILD_EVENTS, in append order. While the stream acknowledges,
 * up to `window` events are published at once (one connection keeps their order) and each append resolves
 * with its sequence. A publish that is not acknowledged (a timeout, no responders, no stream leader, a
 * reconnect) keeps its event at the head: from then on events go one at a time, with backoff, each with its
 * envelope id as msgId so a publish that landed but lost its ack is de-duplicated by the stream's duplicate
 * window. Appends made meanwhile resolve at once with undefined (queued), so a leaderless stream stalls no
 * caller for longer than one publish attempt. Memory is bounded by `limits`; the oldest queued event goes first.
 */
export class EventOutbox {
  readonly #publish: PublishOnce;
  readonly #logger: Logger | undefined;
  readonly #limits: OutboxLimits;
  readonly #window: number;
  readonly #retryMs: { min: number; max: number };
  readonly #queue: Pending[] = [];
  #bytes = 0;
  #healthy = true;
  #pumping: Promise<void> | undefined;
  #closed = false;
  #wake: (() => void) | undefined;
  #interrupt: (() => void) | undefined;
  /** Counters, for logs and tests. */
  readonly counts = { dropped: 0, stored: 0, storedLate: 0, failedAttempts: 0 };

  constructor(publish: PublishOnce, options: OutboxOptions = {}) {
    this.#publish = publish;
    this.#logger = options.logger;
    this.#limits = { ...OUTBOX_LIMITS, ...options.limits };
    this.#window = options.window ?? 256;
    this.#retryMs = options.retryMs ?? { min: 100, max: 2_000 };
  }

  /** Events queued and not yet acknowledged, and their bytes. */
  get queued(): { events: number; bytes: number } {
    return { events: this.#queue.length, bytes: this.#bytes };
  }

  /**
   * Queues an event. Resolves with its sequence once stored, or with undefined when it waits for a retry
   * (its first publish failed, or earlier events wait already); rejects when it cannot ever be stored.
   * With `untilStored`, it resolves only once the event is stored (undefined if the outbox closes first).
   */
  append(subject: string, data: string, msgId: string, untilStored = false): Promise<number | undefined> {
    if (this.#closed) return Promise.reject(new GuildError("bus.closed", "the event log is closed"));
    const pending: Pending = { msgId, subject, data, bytes: Buffer.byteLength(data) + subject.length };
    if (untilStored) pending.holds = true;
    this.#queue.push(pending);
    this.#bytes += pending.bytes;
    this.#enforceLimits();
    this.#kick();
    if (!this.#queue.includes(pending) || (!this.#healthy && !untilStored)) {
      pending.deferred = true;
      return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
      pending.settle = resolve;
      pending.fail = reject;
    });
  }

  /** The connection came back: what is in flight is published again at once instead of awaiting its timeout. */
  reconnected(): void {
    this.#interrupt?.();
    this.#wake?.();
  }

  /**
   * Stops taking events and tries to store the queued ones for up to `timeoutMs`; what is left is logged
   * with its count and returned.
   */
  async close(timeoutMs: number): Promise<number> {
    if (this.#closed) return this.#queue.length;
    this.#closed = true;
    if (this.#queue.length > 0 && this.#pumping) {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([this.#pumping, expired]);
      clearTimeout(timer);
    }
    const left = this.#queue.length;
    if (left > 0) {
      this.#logger?.error(
        { unsent: left, bytes: this.#bytes, flushMs: timeoutMs },
        `${left} event(s) could not be stored in GUILD_EVENTS before close; they are lost`,
      );
      for (const p of this.#queue.splice(0)) this.#settle(p, undefined);
      this.#bytes = 0;
    }
    this.#wake?.();
    return left;
  }

  #kick(): void {
    // A running pump takes new events in turn: they wait behind the head, even through a retry pause.
    if (this.#pumping) return;
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      if (this.#queue.length > 0 && !this.#closed) this.#kick();
    });
  }

  async #pump(): Promise<void> {
    let pause = this.#retryMs.min;
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, this.#healthy ? this.#window : 1);
      const settled = Promise.allSettled(batch.map((p) => this.#publish(p.subject, p.data, p.msgId)));
      const interrupted = new Promise<"interrupted">((resolve) => {
        this.#interrupt = () => resolve("interrupted");
      });
      let results = await Promise.race([settled, interrupted]);
      this.#interrupt = undefined;
      let failure: unknown;
      if (results === "interrupted") {
        // Requests sent before a reconnect wait out their timeout for an answer that will not come: the batch is
        // published again now (the stream de-duplicates any that did land), its late results ignored.
        failure = new Error("the connection was re-established while events were in flight");
        pause = 0;
        results = [];
      }
      batch.forEach((p, i) => {
        const r = results[i];
        if (r?.status === "fulfilled") {
          this.#remove(p);
          this.counts.stored++;
          if (p.deferred) this.counts.storedLate++;
          this.#settle(p, r.value);
        } else if (r && !retryable(r.reason)) {
          this.#remove(p);
          p.fail?.(r.reason);
          p.settle = undefined;
          this.#logger?.warn({ err: r.reason, msgId: p.msgId, subject: p.subject }, "event append failed");
        } else if (r) {
          failure ??= r.reason;
        }
      });
      if (failure === undefined) {
        if (!this.#healthy) {
          this.#healthy = true;
          this.#logger?.info(
            { storedLate: this.counts.storedLate, queued: this.#queue.length },
            "GUILD_EVENTS acknowledges again; queued events are being stored",
          );
        }
        pause = this.#retryMs.min;
        continue;
      }
      if (this.#healthy) {
        this.#healthy = false;
        this.#logger?.warn(
          { err: failure, queued: this.#queue.length },
          "GUILD_EVENTS did not acknowledge an event; events are queued and retried in order",
        );
      }
      // Whoever waits for a queued event is released (unless it asked to wait for the store): it is kept, and
      // the caller need not wait for a leader.
      for (const p of this.#queue) if (!p.holds) this.#settle(p, undefined);
      this.counts.failedAttempts++;
      await this.#sleep(pause);
      pause = Math.min(Math.max(pause * 2, this.#retryMs.min), this.#retryMs.max);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      // Close and a reconnect end a retry pause early.
      this.#wake = done;
    });
  }

  #settle(p: Pending, seq: number | undefined): void {
    if (seq === undefined) p.deferred = true;
    const settle = p.settle;
    p.settle = undefined;
    p.fail = undefined;
    settle?.(seq);
  }

  #remove(p: Pending): void {
    const at = this.#queue.indexOf(p);
    if (at < 0) return;
    this.#queue.splice(at, 1);
    this.#bytes -= p.bytes;
  }

  /** Drops the oldest events beyond the caps, each with one error line: memory stays bounded in an outage. */
  #enforceLimits(): void {
    while (
      this.#queue.length > this.#limits.maxEvents ||
      (this.#bytes > this.#limits.maxBytes && this.#queue.length > 1)
    ) {
      const oldest = this.#queue.shift();
      if (!oldest) return;
      this.#bytes -= oldest.bytes;
      this.counts.dropped++;
      this.#logger?.error(
        {
          msgId: oldest.msgId,
          subject: oldest.subject,
          dropped: this.counts.dropped,
          maxEvents: this.#limits.maxEvents,
          maxBytes: this.#limits.maxBytes,
        },
        "event outbox full: dropped the oldest unacknowledged event",
      );
      oldest.fail?.(new GuildError("bus.unavailable", `event ${oldest.msgId} dropped: the outbox is full`));
      oldest.settle = undefined;
    }
  }
}

/** A publish worth retrying: anything but a refusal that would repeat (bad subject, permissions, a 4xx). */
function retryable(thrown: unknown): boolean {
  const error = thrown instanceof RequestError && thrown.cause ? thrown.cause : thrown;
  if (error instanceof JetStreamApiError) return error.status === 503 || error.status === undefined;
  return !(
    error instanceof InvalidArgumentError ||
    error instanceof InvalidSubjectError ||
    error instanceof PermissionViolationError ||
    error instanceof ClosedConnectionError ||
    error instanceof DrainingConnectionError
  );
}
