import type { WorkConsumer } from "../../bus/index.js";
import { withGitPriority } from "../../git/index.js";
import { type ProposalMessage, toGuildError } from "../../protocol/index.js";
import { chainDepths } from "../goal/index.js";
import { ackAfterPersist } from "./durable-ack.js";
import { type IntakeDeps, receiveProposal, reviewReceived } from "./proposal-intake.js";
import { ReviewQueue } from "./review-queue.js";

export interface ReviewLoopDeps extends IntakeDeps {
  /** Stores the goal's state; a verdict's proposal is acked only after it. */
  persist(goalId: string): Promise<void>;
}

/**
 * Pulls proposals (one at a time per consumer), reports each one's receipt to its goal at once, and
 * reviews them `reviewers` at a time, the proposal whose task has the longest chain of dependents first.
 * At most four times as many as are reviewed are held unacked. `stop` ends the pulls and waits for the
 * reviews in hand.
 */
export function startReviewLoop(
  consumers: WorkConsumer<ProposalMessage>[],
  deps: ReviewLoopDeps,
  reviewers: number,
): { stop(): Promise<void> } {
  const queue = new ReviewQueue(reviewers, reviewers * 4);
  let running = true;
  const report = async (error: unknown) => {
    deps.logger.error({ err: error }, "proposal intake failed");
    const e = toGuildError(error);
    await deps.events
      .emit("error.raised", {
        code: e.code,
        message: e.message,
        context: "proposal intake",
        ...(e.details ? { details: e.details } : {}),
      })
      .catch(() => undefined);
  };
  const pull = async (consumer: WorkConsumer<ProposalMessage>) => {
    while (running) {
      try {
        await queue.room();
        if (!running) break;
        const item = await consumer.next({ expiresMs: 500 });
        if (!item) continue;
        const { goalId, taskId } = item.data.payload;
        const held = ackAfterPersist(item, () => deps.persist(goalId));
        if (!(await receiveProposal(held, deps))) continue;
        const goal = deps.goals.find(goalId);
        const priority = goal ? (chainDepths(goal.context()).get(taskId) ?? 0) : 0;
        // Its git runs too go before those of less critical reviews and of the goal's background merges.
        queue.run(priority, () => withGitPriority(priority, () => reviewReceived(held, deps))).catch(report);
      } catch (error) {
        await report(error);
      }
    }
  };
  const loops = Promise.all(consumers.map(pull));
  return {
    async stop() {
      running = false;
      await loops;
      await queue.idle();
    },
  };
}
