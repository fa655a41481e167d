import { resolve } from "node:path";
import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import {
  deleteProposalBundles,
  GoalStore,
  goalOfProposalKey,
  isFinalStatus,
} from "../../coordinator/goal/index.js";
import { listGoalsWithBranches, removeGoalRefs } from "../../git/index.js";
import { createLogger } from "../../protocol/index.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";

/**
 * `guild gc --repo <path>`: removes the task branches and proposal refs of the repository's goals that
 * ended (a goal ending now cleans its own; this is for goals older than that), and the proposal bundles
 * of every goal that ended, whatever its repository (the blob store is the bus's, and a key names no
 * repository): left by goals that ended before bundles had a life, or sent after their goal's end. A goal
 * still running, or one the store does not know, is left alone. Returns the exit code.
 */
export async function gcGoals(bus: Bus, repo: string, output: Output): Promise<number> {
  const repoDir = resolve(repo);
  const goalIds = await listGoalsWithBranches(repoDir);
  const store = new GoalStore(bus.kv, { owner: "gc" });
  let removed = 0;
  for (const goalId of goalIds) {
    const stored = await store.read(goalId);
    if (!stored || !isFinalStatus(stored.record.status)) {
      output.out(`${goalId}: ${stored ? stored.record.status : "unknown to the coordinator"}, kept`);
      continue;
    }
    const proposals = Object.values(stored.record.context.tasks).flatMap((t) =>
      t.proposal?.headCommit ? [{ proposalId: t.proposal.proposalId, head: t.proposal.headCommit }] : [],
    );
    const refs = await removeGoalRefs(repoDir, goalId, proposals);
    removed += refs.length;
    output.out(`${goalId}: ${stored.record.status}, ${refs.length} ref(s) removed`);
  }
  output.out(`${removed} ref(s) removed; integration branches and salvage refs kept`);
  await gcProposalBundles(bus, store, output);
  store.close();
  return 0;
}

/** Deletes the proposal bundles of goals whose record is final; says how many of unknown goals it kept. */
async function gcProposalBundles(bus: Bus, store: GoalStore, output: Output): Promise<void> {
  const byGoal = new Map<string, number>();
  for (const blob of await bus.blobs.list()) {
    const goalId = goalOfProposalKey(blob.key);
    if (goalId) byGoal.set(goalId, (byGoal.get(goalId) ?? 0) + 1);
  }
  const logger = createLogger({ name: "guild-gc", level: "silent" });
  let deleted = 0;
  let bytes = 0;
  let unknown = 0;
  for (const [goalId, count] of byGoal) {
    const stored = await store.read(goalId);
    if (!stored) {
      unknown += count;
      continue;
    }
    if (!isFinalStatus(stored.record.status)) continue;
    const blobs = await deleteProposalBundles(bus, goalId, logger);
    const size = blobs.reduce((sum, b) => sum + b.size, 0);
    deleted += blobs.length;
    bytes += size;
    output.out(
      `${goalId}: ${stored.record.status}, ${blobs.length} proposal bundle(s) deleted (${size} bytes)`,
    );
  }
  output.out(
    `${deleted} proposal bundle(s) deleted (${bytes} bytes)` +
      (unknown > 0 ? `; ${unknown} of goals unknown to the store kept` : ""),
  );
}

export function registerGcCommand(program: Command): void {
  program
    .command("gc")
    .description("remove the task branches, proposal refs and proposal bundles of goals that ended")
    .option("--repo <path>", "the repository", ".")
    .action(async (opts: { repo: string }) => {
      const connection = await connectBus({});
      try {
        process.exitCode = await gcGoals(connection.bus, opts.repo, processOutput);
      } finally {
        await connection.close();
      }
    });
}
