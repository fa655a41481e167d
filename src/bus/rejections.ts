import type { GuildEvent, Logger } from "../protocol/index.js";
import { type Rejection, rejectionEvent } from "./inbound.js";
import type { RejectionListener } from "./types.js";

/** Fans a rejection out to listeners and to the event log; a failing sink never reaches the caller. */
export class Rejections {
  readonly #listeners = new Set<RejectionListener>();
  readonly #append: (event: GuildEvent) => Promise<number | undefined>;
  readonly #logger: Logger | undefined;

  constructor(append: (event: GuildEvent) => Promise<number | undefined>, logger?: Logger) {
    this.#append = append;
    this.#logger = logger;
  }

  on(listener: RejectionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records the rejection; resolves once it is in the event log (or failed to get there). */
  async report(rejection: Rejection): Promise<void> {
    this.#logger?.warn({ subject: rejection.subject, reason: rejection.reason }, "bus message rejected");
    for (const listener of this.#listeners) {
      try {
        listener(rejection);
      } catch (e) {
        this.#logger?.error({ err: e }, "rejection listener threw");
      }
    }
    try {
      await this.#append(rejectionEvent(rejection));
    } catch (e) {
      this.#logger?.error({ err: e }, "could not append bus.message.rejected");
    }
  }
}
