import { subjectMatches } from "../subject-match.js";

/** Where a reply to a delivered request goes; absent for plain publishes. */
export type ReplyTo = (text: string) => void;

interface CoreSub {
  pattern: string;
  queue: string | undefined;
  deliver(subject: string, text: string, reply: ReplyTo | undefined): void;
}

/** In-process core messaging: wildcard subscriptions and queue groups, one member of a group per message. */
export class MemoryCore {
  readonly #subs = new Set<CoreSub>();
  readonly #turn = new Map<string, number>();

  add(pattern: string, queue: string | undefined, deliver: CoreSub["deliver"]): () => void {
    const sub: CoreSub = { pattern, queue, deliver };
    this.#subs.add(sub);
    return () => this.#subs.delete(sub);
  }

  /** Delivers to every matching plain subscriber and one member per queue group; returns how many got it. */
  publish(subject: string, text: string, reply?: ReplyTo): number {
    const groups = new Map<string, CoreSub[]>();
    let delivered = 0;
    for (const sub of this.#subs) {
      if (!subjectMatches(sub.pattern, subject)) continue;
      if (sub.queue === undefined) {
        sub.deliver(subject, text, reply);
        delivered++;
      } else {
        const members = groups.get(sub.queue) ?? [];
        members.push(sub);
        groups.set(sub.queue, members);
      }
    }
    for (const [queue, members] of groups) {
      // Round-robin, so load-sharing is even and deterministic.
      const turn = this.#turn.get(queue) ?? 0;
      this.#turn.set(queue, turn + 1);
      members[turn % members.length]?.deliver(subject, text, reply);
      delivered++;
    }
    return delivered;
  }
}

/** Runs async handlers one after another, so a subscriber sees its messages in publish order. */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #closed = false;

  push(task: () => Promise<void> | void): void {
    this.#tail = this.#tail.then(async () => {
      if (this.#closed) return;
      try {
        await task();
      } catch {
        // A handler's failure is its own; the next message still gets delivered.
      }
    });
  }

  /** Stops delivery; does not wait, so a handler may unsubscribe itself. */
  close(): void {
    this.#closed = true;
  }
}
