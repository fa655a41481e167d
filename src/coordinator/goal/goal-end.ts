import { removeGoalRefs } from "../../git/index.js";
import type { GoalStatus, GuildConfig } from "../../protocol/index.js";
import { collectBase } from "./base-bundles.js";
import { cancelGoalAgents } from "./durable-cancel.js";
import { type EndReportDeps, type HandoffSecrets, reportGoalCost, runHandoff } from "./goal-end-report.js";
import { announceEnd } from "./goal-recovery.js";
import type { GoalStore } from "./goal-store.js";
import type { GoalContext } from "./goal-types.js";
import { deleteProposalBundles } from "./proposal-bundles.js";

export interface GoalEndDeps extends EndReportDeps {
  store: GoalStore;
  handoffSecrets: HandoffSecrets;
}

/** A goal that reached its final state: what it is, how it ended, and its host config (absent after a restart without one). */
export interface EndedGoal {
  goalId: string;
  status: GoalStatus;
  ctx: GoalContext;
  config: Pick<GuildConfig, "roles" | "prices" | "handoff"> | undefined;
}

/**
 * The steps after a goal's final state, in order: the final record is stored first, then a cancelled
 * goal's agents are told, the cost is reported, the terminal event is emitted and `recordAnnounced`
 * marks it emitted, the hand-off runs, the goal's task branches and proposal refs are removed (the
 * integration branch and salvage refs stay), its proposal bundles are deleted from the blob store (no
 * review reads them any more: `proposal-bundles.ts`), and its base bundles too unless another unfinished
 * goal stands on the same base. A failing step is logged and the next still runs.
 */
export async function finishGoal(
  deps: GoalEndDeps,
  goal: EndedGoal,
  recordAnnounced: () => void,
): Promise<void> {
  const { goalId, status, ctx, config } = goal;
  const { logger } = deps;
  await deps.store.flush(goalId).catch(() => undefined);
  if (status === "cancelled") {
    await cancelGoalAgents(deps.bus, goalId, ctx.reason ?? "cancelled", logger).catch((error: unknown) =>
      logger.warn({ err: error, goalId }, "could not cancel the goal's agents"),
    );
  }
  if (config)
    await reportGoalCost(deps, goalId, config).catch((error: unknown) =>
      logger.warn({ err: error, goalId }, "could not report the goal's cost"),
    );
  await announceEnd(deps.events, goalId, status, ctx).catch((error: unknown) =>
    logger.warn({ err: error, goalId }, "could not announce the goal's end"),
  );
  recordAnnounced();
  if (config) await runHandoff(deps, { goalId, repo: ctx.repo, status }, config, deps.handoffSecrets);
  const proposals = Object.values(ctx.tasks).flatMap((t) =>
    t.proposal?.headCommit ? [{ proposalId: t.proposal.proposalId, head: t.proposal.headCommit }] : [],
  );
  await removeGoalRefs(ctx.repo, goalId, proposals).catch((error: unknown) =>
    logger.warn({ err: error, goalId }, "could not remove the goal's task branches and proposal refs"),
  );
  await deleteProposalBundles(deps.bus, goalId, logger).catch((error: unknown) =>
    logger.warn({ err: error, goalId }, "could not delete the goal's proposal bundles"),
  );
  await collectBase(deps.bus, ctx.baseCommit, {
    ended: goalId,
    goals: () => deps.store.standing(),
    logger,
  }).catch((error: unknown) =>
    logger.warn({ err: error, goalId }, "could not delete the goal's base bundles"),
  );
}
