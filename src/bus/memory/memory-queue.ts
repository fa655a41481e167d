import type { Clock } from "../../protocol/index.js";
import { subjectMatches } from "../subject-match.js";

/** One stored message of an in-memory durable queue. */
export interface StoredMessage {
  seq: number;
  subject: string;
  text: string;
}

const DUPLICATE_WINDOW_MS = 2 * 60_000;

/** An in-memory JetStream-like stream with msgId dedup; `workQueue` removes messages once acked. */
export class MemoryStream {
  readonly messages = new Map<number, StoredMessage>();
  lastSeq = 0;
  readonly workQueue: boolean;
  readonly #clock: Clock;
  readonly #seen = new Map<string, number>();
  readonly #listeners = new Set<() => void>();

  constructor(clock: Clock, workQueue: boolean) {
    this.#clock = clock;
    this.workQueue = workQueue;
  }

  append(subject: string, text: string, msgId?: string): { seq: number; duplicate: boolean } {
    const now = this.#clock.now();
    for (const [id, at] of this.#seen) if (now - at > DUPLICATE_WINDOW_MS) this.#seen.delete(id);
    if (msgId !== undefined) {
      const at = this.#seen.get(msgId);
      if (at !== undefined) return { seq: 0, duplicate: true };
      this.#seen.set(msgId, now);
    }
    const seq = ++this.lastSeq;
    this.messages.set(seq, { seq, subject, text });
    for (const listener of this.#listeners) listener();
    return { seq, duplicate: false };
  }

  onAppend(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

interface InFlight {
  delivery: number;
  timer: unknown;
}

/** A durable consumer's state: a forward cursor, items in flight with deadlines, and items due again. */
export class MemoryDurable {
  readonly #stream: MemoryStream;
  readonly #clock: Clock;
  filter: string;
  ackWaitMs: number;
  maxDeliver: number;
  #cursor = 1;
  readonly #due: number[] = [];
  readonly #inFlight = new Map<number, InFlight>();
  readonly #deliveries = new Map<number, number>();
  readonly #waiters = new Set<() => void>();

  constructor(stream: MemoryStream, clock: Clock, filter: string, ackWaitMs: number, maxDeliver: number) {
    this.#stream = stream;
    this.#clock = clock;
    this.filter = filter;
    this.ackWaitMs = ackWaitMs;
    this.maxDeliver = maxDeliver;
    stream.onAppend(() => this.#wake());
  }

  /** Takes the next due or new message, marking it in flight; undefined when there is none now. */
  take(): { message: StoredMessage; delivery: number } | undefined {
    for (;;) {
      const seq = this.#nextSeq();
      if (seq === undefined) return undefined;
      const message = this.#stream.messages.get(seq);
      if (!message) continue;
      const delivery = (this.#deliveries.get(seq) ?? 0) + 1;
      this.#deliveries.set(seq, delivery);
      this.#inFlight.set(seq, { delivery, timer: this.#deadline(seq, delivery, this.ackWaitMs) });
      return { message, delivery };
    }
  }

  #nextSeq(): number | undefined {
    this.#due.sort((a, b) => a - b);
    const due = this.#due.shift();
    if (due !== undefined) return due;
    while (this.#cursor <= this.#stream.lastSeq) {
      const seq = this.#cursor++;
      const message = this.#stream.messages.get(seq);
      if (message && subjectMatches(this.filter, message.subject)) return seq;
    }
    return undefined;
  }

  #deadline(seq: number, delivery: number, ms: number): unknown {
    return this.#clock.setTimeout(() => this.#expire(seq, delivery), ms);
  }

  #expire(seq: number, delivery: number): void {
    const current = this.#inFlight.get(seq);
    if (!current || current.delivery !== delivery) return;
    this.#inFlight.delete(seq);
    this.#redeliver(seq);
  }

  #redeliver(seq: number): void {
    if ((this.#deliveries.get(seq) ?? 0) >= this.maxDeliver) return;
    this.#due.push(seq);
    this.#wake();
  }

  /** Settles an in-flight delivery; a stale delivery (already redelivered) is ignored. */
  settle(seq: number, delivery: number, how: "ack" | "term" | "working" | { nakDelayMs: number }): void {
    const current = this.#inFlight.get(seq);
    if (!current || current.delivery !== delivery) return;
    this.#clock.clearTimeout(current.timer);
    if (how === "working") {
      current.timer = this.#deadline(seq, delivery, this.ackWaitMs);
      return;
    }
    this.#inFlight.delete(seq);
    if (how === "ack" || how === "term") {
      this.#deliveries.delete(seq);
      if (this.#stream.workQueue) this.#stream.messages.delete(seq);
      return;
    }
    if (how.nakDelayMs > 0) this.#clock.setTimeout(() => this.#redeliver(seq), how.nakDelayMs);
    else this.#redeliver(seq);
  }

  /** Resolves when something may have become available, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#clock.clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = this.#clock.setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
