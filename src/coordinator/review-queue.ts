/**
 * Runs reviews at most `concurrency` at once, the most critical waiting one first (then in arrival order),
 * and bounds how many are taken from the bus at all. When every agent proposes at about the same moment, a
 * review that unblocks a chain of tasks goes before reviews that unblock nothing.
 */
interface Waiting {
  priority: number;
  arrival: number;
  start: () => void;
}

export class ReviewQueue {
  readonly #concurrency: number;
  readonly #capacity: number;
  #running = 0;
  #arrivals = 0;
  readonly #waiting: Waiting[] = [];
  #wakers: (() => void)[] = [];

  /** `capacity`: reviews running or waiting at most (at least `concurrency`). */
  constructor(concurrency: number, capacity: number) {
    this.#concurrency = Math.max(1, concurrency);
    this.#capacity = Math.max(this.#concurrency, capacity);
  }

  /** Reviews running or waiting. */
  get size(): number {
    return this.#running + this.#waiting.length;
  }

  /** Resolves once fewer than `capacity` reviews are running or waiting, so one more may be taken. */
  async room(): Promise<void> {
    while (this.size >= this.#capacity) await new Promise<void>((resolve) => this.#wakers.push(resolve));
  }

  /** Resolves once nothing runs or waits. */
  async idle(): Promise<void> {
    while (this.size > 0) await new Promise<void>((resolve) => this.#wakers.push(resolve));
  }

  /** Runs `work` when a slot is free and no more critical work waits; settles as `work` does. */
  run<T>(priority: number, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        Promise.resolve()
          .then(work)
          .then(resolve, reject)
          .finally(() => {
            this.#running--;
            this.#next();
            const wakers = this.#wakers;
            this.#wakers = [];
            for (const wake of wakers) wake();
          });
      };
      this.#waiting.push({ priority, arrival: this.#arrivals++, start });
      this.#next();
    });
  }

  #next(): void {
    while (this.#running < this.#concurrency && this.#waiting.length > 0) {
      let best = 0;
      for (let i = 1; i < this.#waiting.length; i++) {
        const a = this.#waiting[i] as Waiting;
        const b = this.#waiting[best] as Waiting;
        if (a.priority > b.priority || (a.priority === b.priority && a.arrival < b.arrival)) best = i;
      }
      const [job] = this.#waiting.splice(best, 1);
      this.#running++;
      job?.start();
    }
  }
}
