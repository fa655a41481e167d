import { type IntegrationEntry, mergeStep } from "./integration-merge.js";
import { resolveCommit } from "./repo-facts.js";

/** A merge built ahead of time: its head and the entries in it, in the order they went in. */
export interface PreparedMerge {
  head: string;
  merged: string[];
  /** Each entry's own merge commit (or its own head, when the branch already held it). */
  commits: Record<string, string>;
}

// Everything the merge commit is made of: the same key means the same commit.
function keyOf(entry: IntegrationEntry): string {
  return JSON.stringify([entry.id, entry.head, entry.taskId, entry.role, entry.decision, entry.title ?? ""]);
}

/**
 * Merges a goal's accepted proposals one by one while the goal is still running, off the critical path,
 * so that the final merge of N proposals is a ref update instead of N merges at the goal's tail.
 * It moves no ref: the result is only used when the final entry set is exactly what it holds (the same
 * ids, heads and trailers); anything else (a settlement that dropped or replaced a proposal, a conflict
 * met on the way) falls back to merging from scratch, so it can make the merge faster, never different
 * in content. Offers are serialised; a failed step (git error) just stops the preparation.
 */
export class IncrementalMerge {
  readonly #repoDir: string;
  readonly #base: string;
  #head: string | undefined;
  #order: string[] = [];
  #commits: Record<string, string> = {};
  #keys = new Set<string>();
  #broken = false;
  #tail: Promise<void> = Promise.resolve();

  constructor(repoDir: string, base: string) {
    this.#repoDir = repoDir;
    this.#base = base;
  }

  /** Merges the entries it does not hold yet, in the order given; resolves when they are in (or it gave up). */
  offer(entries: readonly IntegrationEntry[]): Promise<void> {
    const run = async () => {
      if (this.#broken) return;
      this.#head ??= await resolveCommit(this.#repoDir, this.#base);
      for (const entry of entries) {
        const key = keyOf(entry);
        if (this.#keys.has(key)) continue;
        const step = await mergeStep(this.#repoDir, this.#head, entry);
        if (step.kind === "conflict") {
          // The goal's settlement decides what happens to conflicting proposals; the final merge follows it.
          this.#broken = true;
          return;
        }
        if (step.kind === "merged") this.#head = step.head;
        this.#keys.add(key);
        this.#order.push(entry.id);
        this.#commits[entry.id] = step.kind === "merged" ? step.head : step.commit;
      }
    };
    const next = this.#tail.then(run).catch(() => {
      this.#broken = true;
    });
    this.#tail = next;
    return next;
  }

  /** The prepared merge, once pending offers are done, when it holds exactly `entries`; else undefined. */
  async preparedFor(entries: readonly IntegrationEntry[]): Promise<PreparedMerge | undefined> {
    await this.#tail;
    if (this.#broken || this.#head === undefined || entries.length !== this.#keys.size) return undefined;
    if (!entries.every((e) => this.#keys.has(keyOf(e)))) return undefined;
    return { head: this.#head, merged: [...this.#order], commits: { ...this.#commits } };
  }
}
