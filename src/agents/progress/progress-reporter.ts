import { type Clock, systemClock, type WorkProgress } from "../../protocol/index.js";
import { SurfaceParser } from "./export-surface.js";
import { progressSnapshot } from "./progress-snapshot.js";

export interface ProgressReporterOptions {
  /** The task's worktree and the commit its work started from. */
  dir: string;
  base: string;
  task: Pick<WorkProgress, "taskId" | "role" | "agentId" | "attempt">;
  publish: (progress: WorkProgress) => Promise<unknown>;
  /** Least time between two progress events of a task. */
  intervalMs?: number;
  /** Quiet time after a write before reading the worktree, so a burst of writes is read once. */
  settleMs?: number;
  clock?: Clock;
  onError?: (error: unknown) => void;
}

/**
 * Publishes a task's `work.progress` after its writes: at most one event per interval, only when
 * the snapshot changed, and a last one when the work ends.
 */
export class ProgressReporter {
  readonly #options: ProgressReporterOptions;
  readonly #clock: Clock;
  readonly #parser = new SurfaceParser();
  #timer: unknown;
  #dirty = false;
  #running: Promise<void> | undefined;
  #lastAt = Number.NEGATIVE_INFINITY;
  #last = "";
  #seq = 0;
  #stopped = false;

  constructor(options: ProgressReporterOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** How many progress events this reporter published. */
  get sent(): number {
    return this.#seq;
  }

  /** Marks the worktree changed; a progress event follows within the interval. */
  noteWrite(): void {
    if (this.#stopped) return;
    this.#dirty = true;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#running) return;
    const interval = this.#options.intervalMs ?? 3000;
    const settle = this.#options.settleMs ?? 250;
    const wait = Math.max(settle, this.#lastAt + interval - this.#clock.now());
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#publish();
    }, wait);
  }

  /** Publishes now if anything changed since the last event (the end of the work). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    await this.#running;
    if (this.#dirty && !this.#stopped) await this.#publish();
  }

  /** Stops publishing; a pending event is dropped. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #publish(): Promise<void> {
    this.#dirty = false;
    this.#lastAt = this.#clock.now();
    const run = this.#read()
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
        this.#running = undefined;
        if (this.#dirty && !this.#stopped) this.#schedule();
      });
    this.#running = run;
    return run;
  }

  async #read(): Promise<void> {
    const snapshot = await progressSnapshot(this.#options.dir, this.#options.base, this.#parser);
    const text = JSON.stringify(snapshot);
    if (text === this.#last || this.#stopped) return;
    this.#last = text;
    this.#seq += 1;
    await this.#options.publish({ ...this.#options.task, seq: this.#seq, ...snapshot });
  }
}
