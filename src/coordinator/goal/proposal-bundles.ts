import type { BlobInfo, Bus } from "../../bus/index.js";
import type { Logger } from "../../protocol/index.js";
import type { GoalStanding } from "./goal-store.js";

/**
 * The life of the proposal bundles in the blob store (`proposalBundleKey`: `<goal>.<task>.<attempt>.<agent>`,
 * put by an agent without the coordinator's object store): they live until their goal ends.
 *
 * Review is the only reader (`review/review-proposal.ts`); everything after it (merge, settlement, the
 * arbiter, the dashboard's diffs) reads the commits review imported under `refs/guild/proposals/`. Deleting
 * a bundle right after its import would still be too early: review can run again on the same proposal,
 * since it is acked only once the verdict is in the stored goal state (a coordinator killed in between, or
 * a review step that fails after the import and naks), and a bundle missing then fails the attempt. Once
 * the goal's final state is stored, a review of its proposals can change nothing (its machine is final;
 * after a restart the goal is not even taken over, and its proposals are acked unreviewed), so the goal's
 * end (`goal-end.ts`) deletes them all, whatever the status. A proposal an agent sends after that (one
 * still working on a task when its goal failed) is not reviewed, and review deletes its bundle as it acks it
 * (`review/late-proposal.ts`); one left unread when its coordinator stopped is for the sweep of the next
 * coordinator that starts, or for `guild gc`.
 */

/** The goal a proposal bundle's key belongs to, or undefined for any other key (a base bundle's). */
export function goalOfProposalKey(key: string): string | undefined {
  const parts = key.split(".");
  // A base bundle's third part is a commit (40 hex digits), a proposal's an attempt number.
  return parts.length === 4 && /^\d{1,9}$/.test(parts[2] ?? "") ? parts[0] : undefined;
}

/** Deletes every proposal bundle of `goalId`, a goal that ended. Returns the blobs deleted. */
export async function deleteProposalBundles(bus: Bus, goalId: string, logger: Logger): Promise<BlobInfo[]> {
  const stale = (await bus.blobs.list(`${goalId}.`)).filter((b) => goalOfProposalKey(b.key) === goalId);
  for (const blob of stale) await bus.blobs.delete(blob.key);
  if (stale.length > 0) {
    logger.info(
      { goalId, keys: stale.map((b) => b.key), bytes: stale.reduce((sum, b) => sum + b.size, 0) },
      "deleted the proposal bundles of a goal that ended",
    );
  }
  return stale;
}

/**
 * Deletes the proposal bundles of every goal whose record in `goals` is final: left by a coordinator that
 * died between a goal's end and its clean-up, or put by an agent after the end. A bundle of a goal with no
 * record is kept: it may be a goal just submitted by another coordinator that has not stored it yet, and
 * nothing in a key or the store tells an orphan from that. Returns the keys deleted.
 */
export async function sweepProposalBundles(
  bus: Bus,
  goals: GoalStanding[],
  logger: Logger,
): Promise<string[]> {
  const ended = new Set(goals.filter((g) => g.final).map((g) => g.goalId));
  const goalIds = new Set<string>();
  for (const blob of await bus.blobs.list()) {
    const goalId = goalOfProposalKey(blob.key);
    if (goalId && ended.has(goalId)) goalIds.add(goalId);
  }
  const deleted: string[] = [];
  for (const goalId of goalIds)
    deleted.push(...(await deleteProposalBundles(bus, goalId, logger)).map((b) => b.key));
  return deleted;
}
