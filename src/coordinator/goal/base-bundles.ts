import type { Bus } from "../../bus/index.js";
import type { Logger } from "../../protocol/index.js";
import { type GoalStanding, isFinalStatus, type StoredGoal } from "./goal-store.js";

/**
 * The life of the base bundles in the blob store (`task-bases.ts` names them): a goal's base and what its
 * tasks start from after it live under `base.<repoId>.<goalBase>[.<commit>]` for as long as an unfinished goal
 * stands on `goalBase`. Goals on one base share its bundles, so they are deleted only when the last of them
 * ends, or, after a crash, by the sweep of a coordinator that starts (`sweepBaseBundles`).
 */

/** What the store's records say about the goals' bases (`GoalStore.standing` reads only these). */
export function standingOf(stored: StoredGoal[]): GoalStanding[] {
  return stored.map(({ record }) => ({
    goalId: record.goalId,
    baseCommit: record.context.baseCommit,
    final: isFinalStatus(record.status),
  }));
}

/** The goal base a base bundle's key hangs on, or undefined for any other key. */
export function baseOfKey(key: string): string | undefined {
  const parts = key.split(".");
  return parts[0] === "base" && (parts.length === 3 || parts.length === 4) ? parts[2] : undefined;
}

/** One goal base in this process: who published under it, what is known to be stored, and its queue. */
interface BaseEntry {
  /** Goals of this process that published under the base and have not ended (an ended one is dropped). */
  users: Set<string>;
  /** Keys put or found in the store since the base was last collected: a dispatch need not ask again. */
  present: Set<string>;
  /** Puts and collections of the base run one after the other: a collection that decided to delete never
   * races a dispatch that has just offered the bundle, and a put queued after a deletion puts again. */
  queue: Promise<void>;
}

// Per bus (one per coordinator process). Entries stay (a few bytes per goal base ever seen): dropping one
// would let a new entry's put race a collection still queued on the old one.
const ledgers = new WeakMap<Bus, Map<string, BaseEntry>>();

function entryOf(bus: Bus, goalBase: string): BaseEntry {
  let ledger = ledgers.get(bus);
  if (!ledger) {
    ledger = new Map();
    ledgers.set(bus, ledger);
  }
  let entry = ledger.get(goalBase);
  if (!entry) {
    entry = { users: new Set(), present: new Set(), queue: Promise.resolve() };
    ledger.set(goalBase, entry);
  }
  return entry;
}

function enqueue<T>(entry: BaseEntry, op: () => Promise<T>): Promise<T> {
  const run = entry.queue.then(op);
  entry.queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

/**
 * Makes sure `key` is in the blob store for `goalId`, which now uses the key's base. A key this process
 * already stored is taken on trust, unless `recheck` (a retried task: its bundle may have been deleted by
 * another coordinator's collection, and the agent said so in its `task.failed`).
 */
export function offerBaseBundle(
  bus: Bus,
  goalId: string,
  key: string,
  make: () => Promise<Uint8Array>,
  recheck = false,
): Promise<void> {
  const goalBase = baseOfKey(key);
  if (!goalBase) throw new Error(`${key} is not a base bundle's key`);
  const entry = entryOf(bus, goalBase);
  // Before any wait: a collection queued from now on sees this goal among the base's users.
  entry.users.add(goalId);
  return enqueue(entry, async () => {
    if (entry.present.has(key) && !recheck) return;
    if (!(await bus.blobs.info(key))) await bus.blobs.put(key, await make());
    entry.present.add(key);
  });
}

/**
 * Deletes every bundle of `goalBase` unless a goal still stands on it: an unfinished goal in `goals` (the
 * store's records, read when the collection runs), or a goal of this process that published under it and
 * whose record is not final (a goal just submitted may not be stored yet). `ended` is the goal that ended
 * and no longer counts. Returns the keys deleted.
 */
export function collectBase(
  bus: Bus,
  goalBase: string,
  options: { ended?: string; goals: () => Promise<GoalStanding[]>; logger: Logger },
): Promise<string[]> {
  const { ended, logger } = options;
  const entry = entryOf(bus, goalBase);
  if (ended) entry.users.delete(ended);
  return enqueue(entry, async () => {
    const goals = await options.goals();
    const final = new Set(goals.filter((g) => g.final).map((g) => g.goalId));
    // A goal that ended while its dispatch was still publishing came back among the users: not a user.
    for (const user of entry.users) if (final.has(user)) entry.users.delete(user);
    const user =
      [...entry.users][0] ??
      goals.find((g) => !g.final && g.baseCommit === goalBase && g.goalId !== ended)?.goalId;
    if (user) {
      logger.debug({ goalBase, ended, user }, "base bundles kept: a goal still stands on this base");
      return [];
    }
    const stale = (await bus.blobs.list("base.")).filter((b) => baseOfKey(b.key) === goalBase);
    for (const blob of stale) await bus.blobs.delete(blob.key);
    entry.present.clear();
    if (stale.length > 0) {
      logger.info(
        {
          goalBase,
          ended,
          keys: stale.map((b) => b.key),
          bytes: stale.reduce((sum, b) => sum + b.size, 0),
        },
        "deleted base bundles no unfinished goal stands on",
      );
    }
    return stale.map((b) => b.key);
  });
}

/**
 * At a coordinator's start: deletes the base bundles of every goal base no unfinished goal in `goals`
 * stands on, left by goals that ended while no coordinator could collect them (a crash between a goal's
 * end and its clean-up) or by a coordinator that died. Returns the keys deleted.
 */
export async function sweepBaseBundles(bus: Bus, goals: GoalStanding[], logger: Logger): Promise<string[]> {
  const standing = new Set(goals.filter((g) => !g.final).map((g) => g.baseCommit));
  const bases = new Set<string>();
  for (const blob of await bus.blobs.list("base.")) {
    const goalBase = baseOfKey(blob.key);
    if (goalBase && !standing.has(goalBase)) bases.add(goalBase);
  }
  const deleted: string[] = [];
  for (const goalBase of bases)
    deleted.push(...(await collectBase(bus, goalBase, { goals: async () => goals, logger })));
  return deleted;
}
