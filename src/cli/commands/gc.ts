import { resolve } from "node:path";
import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { GoalStore, isFinalStatus } from "../../coordinator/goal/index.js";
import { listGoalsWithBranches, removeGoalRefs } from "../../git/index.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";

/**
 * `guild gc --repo <path>`: removes the task branches and proposal refs of the repository's goals that
 * ended (a goal ending now cleans its own; this is for goals older than that). A goal still running, or
 * one the store does not know, is left alone. Returns the exit code.
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
  store.close();
  output.out(`${removed} ref(s) removed; integration branches and salvage refs kept`);
  return 0;
}

export function registerGcCommand(program: Command): void {
  program
    .command("gc")
    .description("remove the task branches and proposal refs of goals that ended")
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
