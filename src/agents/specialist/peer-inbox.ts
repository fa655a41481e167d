import type { PeerDirective } from "../../protocol/index.js";
import { wrapUntrusted } from "../tools/index.js";

/** An export this task's changes use that another task removed, changed or renamed. */
export type OverlapNotice = NonNullable<PeerDirective["overlap"]>;

/**
 * What the coordinator told one task's agent while it works: notes for the brain's next step, the
 * questions it may answer, and the overlaps on exports it uses (for brains that adapt mechanically).
 */
export class PeerInbox {
  readonly notes: string[];
  readonly overlaps: OverlapNotice[] = [];
  readonly #open = new Set<string>();
  #syncWaiters: ((synced: boolean) => void)[] = [];

  /** `notes` is the task's note list, shared with `guild tell`. */
  constructor(notes: string[]) {
    this.notes = notes;
  }

  receive(directive: PeerDirective): void {
    const quote = directive.quote ? `\n${wrapUntrusted("message from another agent", directive.quote)}` : "";
    this.notes.push(`${directive.text}${quote}`);
    if (directive.topic === "question" && directive.questionId) this.#open.add(directive.questionId);
    if (directive.overlap) this.overlaps.push(directive.overlap);
  }

  canAnswer(questionId: string): boolean {
    return this.#open.has(questionId);
  }

  answered(questionId: string): void {
    this.#open.delete(questionId);
  }

  /**
   * Resolves true at the coordinator's next `synced` answer, false after `timeoutMs` without one.
   * Take it before asking, so an answer that comes at once is not missed.
   */
  nextSync(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (synced: boolean) => {
        clearTimeout(timer);
        this.#syncWaiters = this.#syncWaiters.filter((w) => w !== done);
        resolve(synced);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#syncWaiters.push(done);
    });
  }

  /** The coordinator has read the progress of every other task at work (and told what overlaps). */
  synced(): void {
    for (const waiter of [...this.#syncWaiters]) waiter(true);
  }
}
