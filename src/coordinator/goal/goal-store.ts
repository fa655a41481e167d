import type { KeyValue, KvEntry } from "../../bus/index.js";
import { type GoalStatus, GuildError, isGuildError, type Logger } from "../../protocol/index.js";
import type { GoalContext } from "./goal-types.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The record kept under `goal.<id>` in the `guild-state` bucket: what `guild status` reads (goalId, state,
 * status, context, updatedAt) plus what a restarted coordinator needs (the machine's persisted snapshot,
 * minus its context, which is stored once) and the coordinator that owns the goal.
 */
export interface GoalRecord {
  goalId: string;
  state: string;
  status: GoalStatus;
  context: GoalContext;
  updatedAt: string;
  /** The coordinator instance that owns the goal; only it may write the record. */
  owner: string;
  /** `actor.getPersistedSnapshot()` without `context`. */
  snapshot: Record<string, unknown>;
  /** Set once the goal's terminal event (`goal.done|failed|cancelled`) is in the event log. */
  announced?: boolean;
}

/** Whether a stored goal ended, and the base commit it stands on (absent for one that ended). */
export interface GoalStanding {
  goalId: string;
  final: boolean;
  baseCommit?: string;
}

/** A stored record with the revision it was read at, for compare-and-set. */
export interface StoredGoal {
  record: GoalRecord;
  revision: number;
}

/** Thrown (as `kv.conflict`) when another coordinator took a goal over: this one must let it go. */
export function ownershipLost(goalId: string, owner: string): GuildError {
  return new GuildError("kv.conflict", `goal ${goalId} is now owned by coordinator ${owner}`, {
    details: { key: goalKey(goalId), owner },
  });
}

export const goalKey = (goalId: string): string => `goal.${goalId}`;

const FINAL = new Set<GoalStatus>(["done", "failed", "cancelled"]);

/** Whether a goal status is one a goal never leaves. */
export function isFinalStatus(status: GoalStatus): boolean {
  return FINAL.has(status);
}

function decode(entry: KvEntry): GoalRecord {
  return JSON.parse(decoder.decode(entry.value)) as GoalRecord;
}

/**
 * Durable goal records, written with compare-and-set so two coordinators never both own a goal.
 * Writes per goal are serialized and coalesced (the latest snapshot wins); `flush` resolves when
 * everything saved so far is stored, and rejects when the goal was lost to another coordinator.
 * A transient failure (a NATS restart) is retried until it succeeds or the store is closed.
 */
export class GoalStore {
  readonly owner: string;
  readonly #kv: KeyValue;
  readonly #logger: Logger | undefined;
  readonly #onLost: (goalId: string, error: GuildError) => void;
  readonly #revisions = new Map<string, number>();
  readonly #pending = new Map<string, GoalRecord>();
  readonly #writers = new Map<string, Promise<void>>();
  readonly #lost = new Map<string, GuildError>();
  /** Goals whose record was read final: a goal never leaves a final status, so it is not read again. */
  readonly #ended = new Set<string>();
  #closed = false;

  constructor(
    kv: KeyValue,
    options: { owner: string; logger?: Logger; onLost?: (goalId: string, error: GuildError) => void },
  ) {
    this.#kv = kv;
    this.owner = options.owner;
    this.#logger = options.logger;
    this.#onLost = options.onLost ?? (() => undefined);
  }

  async read(goalId: string): Promise<StoredGoal | null> {
    const entry = await this.#kv.get(goalKey(goalId));
    return entry ? { record: decode(entry), revision: entry.revision } : null;
  }

  /** Every goal record in the bucket (unreadable ones are skipped and logged). */
  async list(): Promise<StoredGoal[]> {
    const out: StoredGoal[] = [];
    for (const key of await this.#kv.keys("goal.*")) {
      const entry = await this.#kv.get(key);
      if (!entry) continue;
      try {
        out.push({ record: decode(entry), revision: entry.revision });
      } catch (error) {
        this.#logger?.warn({ err: error, key }, "unreadable goal record");
      }
    }
    return out;
  }

  /**
   * Every stored goal, ended or not, with an unfinished one's base commit (what the goals on one base share
   * lives as long as one stands on it). Only records not yet seen final are read: over many goals this
   * costs a listing of the keys and the reads of the unfinished goals.
   */
  async standing(): Promise<GoalStanding[]> {
    const out: GoalStanding[] = [];
    for (const key of await this.#kv.keys("goal.*")) {
      const goalId = key.slice("goal.".length);
      if (this.#ended.has(goalId)) {
        out.push({ goalId, final: true });
        continue;
      }
      const entry = await this.#kv.get(key);
      if (!entry) continue;
      try {
        const record = decode(entry);
        const final = isFinalStatus(record.status);
        if (final) this.#ended.add(goalId);
        out.push(final ? { goalId, final } : { goalId, final, baseCommit: record.context.baseCommit });
      } catch (error) {
        this.#logger?.warn({ err: error, key }, "unreadable goal record");
      }
    }
    return out;
  }

  /**
   * Takes a goal over from whoever owned it (a coordinator that died): one compare-and-set on the
   * revision it was read at, so of two coordinators restarting at once only one wins.
   */
  async adopt(stored: StoredGoal): Promise<boolean> {
    const record = { ...stored.record, owner: this.owner, updatedAt: new Date().toISOString() };
    try {
      const revision = await this.#kv.update(
        goalKey(record.goalId),
        encoder.encode(JSON.stringify(record)),
        stored.revision,
      );
      this.#revisions.set(record.goalId, revision);
      return true;
    } catch (error) {
      if (isGuildError(error, "kv.conflict")) return false;
      throw error;
    }
  }

  /** Queues the goal's latest record for writing; earlier unwritten records of the goal are dropped. */
  save(record: GoalRecord): void {
    const { goalId } = record;
    if (this.#lost.has(goalId)) return;
    this.#pending.set(goalId, { ...record, owner: this.owner });
    if (!this.#writers.has(goalId)) this.#writers.set(goalId, this.#drain(goalId));
  }

  /** Resolves once every record saved so far for the goal is stored. */
  async flush(goalId: string): Promise<void> {
    await this.#writers.get(goalId);
    const lost = this.#lost.get(goalId);
    if (lost) throw lost;
  }

  /** Stops retrying; pending writes are abandoned (the next owner restores from what is stored). */
  close(): void {
    this.#closed = true;
  }

  async #drain(goalId: string): Promise<void> {
    for (;;) {
      const record = this.#pending.get(goalId);
      if (!record || this.#closed) {
        this.#writers.delete(goalId);
        return;
      }
      this.#pending.delete(goalId);
      try {
        await this.#write(record);
      } catch (error) {
        const lost = isGuildError(error, "kv.conflict") ? error : ownershipLost(goalId, "unknown");
        this.#lost.set(goalId, lost);
        this.#pending.delete(goalId);
        this.#writers.delete(goalId);
        this.#onLost(goalId, lost);
        return;
      }
    }
  }

  async #write(record: GoalRecord): Promise<void> {
    const key = goalKey(record.goalId);
    const value = encoder.encode(JSON.stringify(record));
    let delay = 100;
    for (;;) {
      try {
        const known = this.#revisions.get(record.goalId);
        const revision =
          known === undefined ? await this.#kv.create(key, value) : await this.#kv.update(key, value, known);
        this.#revisions.set(record.goalId, revision);
        return;
      } catch (error) {
        if (isGuildError(error, "kv.conflict")) {
          // A write that timed out may have landed: if the stored record is still ours, go on from it.
          const current = await this.#kv.get(key).catch(() => null);
          if (!current) throw error;
          const holder = decode(current).owner;
          if (holder !== this.owner) throw ownershipLost(record.goalId, holder);
          this.#revisions.set(record.goalId, current.revision);
          continue;
        }
        if (this.#closed) return;
        this.#logger?.warn({ err: error, goalId: record.goalId }, "could not persist goal state; retrying");
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }
}
