import { PriorityGate } from "../../protocol/index.js";

/**
 * Runs reviews at most `concurrency` at once, the most critical waiting one first (then in arrival order),
 * and bounds how many are taken from the bus at all. When every agent proposes at about the same moment, a
 * review that unblocks a chain of tasks goes before reviews that unblock nothing.
 */
export class ReviewQueue {
  readonly #gate: PriorityGate;
  readonly #capacity: number;
  #wakers: (() => void)[] = [];

  /** `capacity`: reviews running or waiting at most (at least `concurrency`). */
  constructor(concurrency: number, capacity: number) {
    this.#gate = new PriorityGate(concurrency);
    this.#capacity = Math.max(concurrency, capacity, 1);
  }

  /** Reviews running or waiting. */
  get size(): number {
    return this.#gate.size;
  }

  /** Resolves once fewer than `capacity` reviews are running or waiting, so one more may be taken. */
  async room(): Promise<void> {
    while (this.size >= this.#capacity) await this.#change();
  }

  /** Resolves once nothing runs or waits. */
  async idle(): Promise<void> {
    while (this.size > 0) await this.#change();
  }

  /** Runs `work` when a slot is free and no more critical work waits; settles as `work` does. */
  async run<T>(priority: number, work: () => Promise<T>): Promise<T> {
    try {
      return await this.#gate.run(priority, work);
    } finally {
      const wakers = this.#wakers;
      this.#wakers = [];
      for (const wake of wakers) wake();
    }
  }

  #change(): Promise<void> {
    return new Promise<void>((resolve) => this.#wakers.push(resolve));
  }
}
