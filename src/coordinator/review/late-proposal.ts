import type { WorkItem } from "../../bus/index.js";
import { gitText, proposalRef, withRepoLock } from "../../git/index.js";
import {
  type GoalStatus,
  type ProposalMessage,
  proposalBundleKey,
  proposalRefId,
} from "../../protocol/index.js";
import type { IntakeDeps } from "./proposal-intake.js";

/**
 * A proposal for a goal that has ended (typically from an agent still working when its goal failed or was
 * cancelled) is not reviewed: no verdict could change the final machine, and a review would import its
 * bundle under `refs/guild/proposals/` after the goal's end removed its refs, leaving a ref nothing removes.
 * Its bundle is deleted now rather than left for the next start's sweep or `guild gc`, a person is told why
 * with `proposal.rejected`, and it is acked so it is not redelivered.
 *
 * The bundle is deleted only under the proposal's own key (`proposalBundleKey`), the one review would read:
 * that key starts with the proposal's goal, this ended goal, whose end deletes every bundle of it anyway, so
 * even a proposal not from its task's claimant can delete nothing a review will still read.
 *
 * `moment`: whether the goal had ended when the proposal arrived, or only before or during its review.
 * `imported`: the review ran while the goal ended, so its bundle may have been imported after the end's
 * clean-up; that proposal's ref (and only it, at the proposal's head) is removed too.
 */
export async function dropLateProposal(
  item: WorkItem<ProposalMessage>,
  ended: GoalStatus,
  deps: Pick<IntakeDeps, "bus" | "events" | "logger">,
  moment: "arrived" | "reviewed",
  imported?: { repo: string },
): Promise<void> {
  const proposal = item.data.payload;
  const key = proposal.bundleKey;
  if (key && !proposal.sharedObjects && key === proposalBundleKey(proposal)) {
    // A delete that fails leaves the bundle to the sweep of the next coordinator that starts, or guild gc.
    await deps.bus.blobs
      .delete(key)
      .catch((error: unknown) =>
        deps.logger.warn({ err: error, key }, "could not delete the bundle of a proposal that came too late"),
      );
  }
  if (imported) {
    await removeProposalRef(imported.repo, proposalRef(proposalRefId(proposal)), proposal.headCommit).catch(
      (error: unknown) =>
        deps.logger.warn(
          { err: error, proposal: proposal.proposalId },
          "could not remove the ref of a proposal reviewed while its goal ended",
        ),
    );
  }
  await deps.events.emit(
    "proposal.rejected",
    {
      proposalId: proposal.proposalId,
      taskId: proposal.taskId,
      reason:
        moment === "arrived"
          ? `goal ${proposal.goalId} ended (${ended}) before this proposal arrived; it was not reviewed`
          : `goal ${proposal.goalId} ended (${ended}) while this proposal waited for its review; it was not reviewed`,
    },
    proposal.goalId,
  );
  deps.logger.info(
    { goalId: proposal.goalId, proposal: proposal.proposalId, ended, bundleKey: key },
    "a proposal for a goal that ended was not reviewed",
  );
  await item.ack();
}

/** Deletes `ref` if it holds `head` (the goal-qualified name is this proposal's alone); absent, nothing. */
async function removeProposalRef(repo: string, ref: string, head: string): Promise<void> {
  await withRepoLock(repo, async () => {
    const held = await gitText(repo, ["for-each-ref", "--format=%(objectname)", ref]);
    if (held === head) await gitText(repo, ["update-ref", "-d", ref, head]);
  });
}
