interface Waiter {
  priority: number;
  arrival: number;
  go: () => void;
}

/**
 * Lets at most `limit` callers through at once; the others wait, the highest priority first, then in
 * arrival order. A caller leaving hands its place straight to the next one.
 */
export class PriorityGate {
  readonly #limit: number;
  #inside = 0;
  #arrivals = 0;
  readonly #waiting: Waiter[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Callers inside plus callers waiting. */
  get size(): number {
    return this.#inside + this.#waiting.length;
  }

  /** Runs `fn` once let through; lets the next caller in when it settles. */
  async run<T>(priority: number, fn: () => Promise<T>): Promise<T> {
    if (this.#inside >= this.#limit) {
      await new Promise<void>((go) => this.#waiting.push({ priority, arrival: this.#arrivals++, go }));
    } else {
      this.#inside++;
    }
    try {
      return await fn();
    } finally {
      this.#leave();
    }
  }

  #leave(): void {
    if (this.#waiting.length === 0) {
      this.#inside--;
      return;
    }
    let best = 0;
    for (let i = 1; i < this.#waiting.length; i++) {
      const a = this.#waiting[i] as Waiter;
      const b = this.#waiting[best] as Waiter;
      if (a.priority > b.priority || (a.priority === b.priority && a.arrival < b.arrival)) best = i;
    }
    this.#waiting.splice(best, 1)[0]?.go();
  }
}
