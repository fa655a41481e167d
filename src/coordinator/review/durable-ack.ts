import type { WorkItem } from "../../bus/index.js";

/**
 * Wraps a work item so that its `ack` first waits for `persisted` (the goal's state, with the verdict
 * the item caused, is stored): a coordinator killed before that leaves the item unacked, and it is
 * redelivered to the restarted coordinator. A failed wait leaves the item unacked too.
 */
export function ackAfterPersist<T>(item: WorkItem<T>, persisted: () => Promise<void>): WorkItem<T> {
  return {
    data: item.data,
    subject: item.subject,
    seq: item.seq,
    deliveryCount: item.deliveryCount,
    ack: async () => {
      await persisted();
      await item.ack();
    },
    nak: (delayMs?: number) => item.nak(delayMs),
    working: () => item.working(),
    term: (reason?: string) => item.term(reason),
  };
}
