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
}
