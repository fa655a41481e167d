import type { Clock } from "../../protocol/index.js";

/**
 * One timer per goal for the end of its first dispatch hold: when it rings, the goal is told the time
 * (`CLOCK.TICK`), drops the holds that ran out and dispatches into the slots they kept. Set again from
 * every snapshot, so a restored goal's holds end too.
 */
export class HoldAlarm {
  readonly #clock: Clock;
  readonly #ring: (at: number) => void;
  #handle: unknown;
  #at: number | undefined;

  constructor(clock: Clock, ring: (at: number) => void) {
    this.#clock = clock;
    this.#ring = ring;
  }

  /** Rings at `at` (clock ms), replacing the time set before; undefined silences it. */
  set(at: number | undefined): void {
    if (at === this.#at) return;
    this.stop();
    if (at === undefined) return;
    this.#at = at;
    this.#handle = this.#clock.setTimeout(
      () => {
        this.#handle = undefined;
        this.#at = undefined;
        // A timer may fire a millisecond early by the wall clock; it was set for `at`.
        this.#ring(Math.max(at, this.#clock.now()));
      },
      Math.max(0, at - this.#clock.now()),
    );
  }

  stop(): void {
    if (this.#handle !== undefined) this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#at = undefined;
  }
}
