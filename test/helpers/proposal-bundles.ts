import { type GuildEvent, proposalBundleKey } from "../../src/protocol/index.js";

/** The blob-store keys of the bundles a goal's agents published with their proposals (those with commits). */
export function publishedBundleKeys(events: GuildEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.type !== "proposal.published" || e.payload.commits === 0 || !e.goalId) return [];
    const attempt = Number(/-(\d+)$/.exec(e.payload.proposalId)?.[1]);
    return [proposalBundleKey({ goalId: e.goalId, taskId: e.payload.taskId, attempt, agentId: e.source })];
  });
}

/** The bundle keys of the proposals review accepted: it read each bundle from the store and imported it. */
export function acceptedBundleKeys(events: GuildEvent[]): string[] {
  const accepted = new Set(
    events.flatMap((e) => (e.type === "proposal.accepted" ? [`${e.goalId}\0${e.payload.proposalId}`] : [])),
  );
  return publishedBundleKeys(events).filter((key) => {
    const [goalId, taskId, attempt] = key.split(".");
    return accepted.has(`${goalId}\0${taskId}-${attempt}`);
  });
}
