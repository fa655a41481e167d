import type { OwnershipMatcher } from "../../ownership/index.js";
import type { GuildConfig } from "../../protocol/index.js";
import type { SettlementRecord, SettleOutcome, TaskRecord } from "../goal/index.js";

export interface ConflictPair {
  a: string;
  b: string;
  files: string[];
}

/** How often one task may be sent back (conflict loser, culprit of failing tests) before it is rejected. */
export const MAX_REVISIONS = 2;

/** Decides one conflict by the first policy of the chain that can: ownership, then role priority. */
export function pickWinner(
  a: TaskRecord,
  b: TaskRecord,
  files: string[],
  config: GuildConfig,
  matcher: OwnershipMatcher,
): { winner: TaskRecord; loser: TaskRecord; policy: string; reason: string } | undefined {
  for (const policy of config.settlement) {
    if (policy === "ownership") {
      // Both sides may write a co-owned file; its primary owner (listed first) owns the conflicting lines.
      const owns = (t: TaskRecord) => files.every((f) => matcher.rolesOf(f)[0] === t.spec.role);
      const [ownsA, ownsB] = [owns(a), owns(b)];
      if (ownsA !== ownsB) {
        const [winner, loser] = ownsA ? [a, b] : [b, a];
        return {
          winner,
          loser,
          policy,
          reason: `${winner.spec.role} is the primary owner of ${files.join(", ")}; ${loser.spec.role} is not`,
        };
      }
    }
    if (policy === "priority") {
      const rank = (t: TaskRecord) => {
        const i = config.rolePriority.indexOf(t.spec.role);
        return i < 0 ? Number.MAX_SAFE_INTEGER : i;
      };
      if (rank(a) !== rank(b)) {
        const [winner, loser] = rank(a) < rank(b) ? [a, b] : [b, a];
        return {
          winner,
          loser,
          policy,
          reason: `role priority ranks ${winner.spec.role} above ${loser.spec.role}`,
        };
      }
    }
  }
  return undefined;
}

/**
 * Settles conflicting pairs: the winner stays; the loser is asked to revise on top of the winner (when the chain
 * has `revise` and it has revisions left), else rejected. Each decision carries its reason.
 */
export function settleConflicts(
  pairs: ConflictPair[],
  tasks: Record<string, TaskRecord>,
  config: GuildConfig,
  matcher: OwnershipMatcher,
): SettleOutcome & { undecided: ConflictPair[] } {
  const outcome: SettleOutcome & { undecided: ConflictPair[] } = {
    settlements: [],
    revise: [],
    reject: [],
    undecided: [],
  };
  const losers = new Set<string>();
  for (const pair of pairs) {
    if (losers.has(pair.a) || losers.has(pair.b)) continue;
    const a = tasks[pair.a];
    const b = tasks[pair.b];
    if (!a || !b) continue;
    const decision = pickWinner(a, b, pair.files, config, matcher);
    if (!decision) {
      const chain = config.settlement.join(", ");
      if (config.settlement.includes("arbiter") || config.settlement.includes("human")) {
        // Left to the asynchronous steps of the chain: the LLM arbiter, then a person.
        outcome.undecided.push(pair);
        losers.add(pair.a).add(pair.b);
        continue;
      }
      const reason = `no policy in [${chain}] could decide between ${a.spec.role} and ${b.spec.role}`;
      outcome.reject.push({ taskId: b.spec.taskId, reason });
      outcome.settlements.push({
        winner: a.spec.taskId,
        loser: b.spec.taskId,
        policy: "none",
        reason,
        files: pair.files,
      });
      losers.add(b.spec.taskId);
      continue;
    }
    const { winner, loser } = decision;
    losers.add(loser.spec.taskId);
    const record: SettlementRecord = {
      winner: winner.spec.taskId,
      loser: loser.spec.taskId,
      policy: decision.policy,
      reason: decision.reason,
      files: pair.files,
    };
    outcome.settlements.push(record);
    const canRevise = config.settlement.includes("revise") && loser.revisions < MAX_REVISIONS;
    const head = winner.proposal?.headCommit;
    if (canRevise && head) {
      outcome.revise.push({
        taskId: loser.spec.taskId,
        base: head,
        feedback:
          `Your change to ${pair.files.join(", ")} conflicted with ${winner.spec.role}'s (${winner.spec.taskId}), ` +
          `which was kept because ${decision.reason}. Redo your work on top of it: your workspace now starts from it.`,
      });
    } else {
      outcome.reject.push({ taskId: loser.spec.taskId, reason: `lost conflict: ${decision.reason}` });
    }
  }
  return outcome;
}
