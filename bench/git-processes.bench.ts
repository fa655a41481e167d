import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  AgentWorktree,
  adoptProposal,
  commitWorkspace,
  IncrementalMerge,
  mergeIntoIntegration,
  resolveCommit,
} from "../src/git/index.js";
import { tempRepo } from "../test/helpers/git-repo.js";
import { loggingGit } from "../test/helpers/logging-git.js";
import type { Benchmark, BenchRow } from "./harness.js";

const TASKS = 10;

// What a task's git costs, as budgets: the git processes of each step of a task's life, counted with a
// logging git (a wrapper on PATH that runs the real one). A step over its budget is a regression to look
// at, not a failed test: a process more buys correctness more often than it costs time.
// `merge` is the goal's merge prepared while it runs (one proposal); `integration` moves the branch at the end.
const BUDGETS = { switch: 3, commit: 4, release: 1, review: 4, merge: 3, integration: 2 } as const;
type Step = keyof typeof BUDGETS;

const bench: Benchmark = {
  name: "git-processes",
  description: `git processes per step of a task's life (${TASKS} tasks in one agent worktree, each reviewed and merged), against budgets`,
  async run(progress) {
    using repo = tempRepo({ "README.md": "# app\n", "src/a.ts": "export const a = 1;\n" });
    const base = await resolveCommit(repo.path, "HEAD");
    const wt = new AgentWorktree({ repoDir: repo.path, agentId: "backend-1" });
    // The worktree is made once per agent; its first switch (worktree add) is not a per-task cost.
    await wt.switchTo({ goalId: "g1", taskId: "t0", baseCommit: base });
    await wt.release({ salvage: false });
    const counts = new Map<Step, string[][]>(Object.keys(BUDGETS).map((k) => [k as Step, []]));
    const entries: { id: string; head: string; taskId: string; role: string; decision: string }[] = [];
    const premerge = new IncrementalMerge(repo.path, base);
    const count = async <T>(step: Step, fn: () => Promise<T>): Promise<T> => {
      using git = loggingGit();
      const value = await git.during(fn);
      counts.get(step)?.push(git.calls());
      return value;
    };
    for (let i = 1; i <= TASKS; i++) {
      progress(`task ${i}/${TASKS}`);
      const taskId = `t${i}`;
      const ws = await count("switch", () => wt.switchTo({ goalId: "g1", taskId, baseCommit: base }));
      writeFileSync(join(ws.dir, "src", `${taskId}.ts`), `export const ${taskId} = ${i};\n`);
      const { head } = await count("commit", () => commitWorkspace(ws, `task ${taskId}`));
      await count("release", () => wt.release({ salvage: false }));
      await count("review", () =>
        adoptProposal(repo.path, head, { proposalId: `${taskId}-1`, baseCommit: base }),
      );
      const entry = { id: `${taskId}-1`, head, taskId, role: "backend", decision: "accepted" };
      entries.push(entry);
      await count("merge", () => premerge.offer([...entries]));
    }
    const prepared = await premerge.preparedFor(entries);
    await count("integration", () =>
      mergeIntoIntegration(repo.path, { goalId: "g1", base, entries, ...(prepared ? { prepared } : {}) }),
    );
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    for (const [step, runs] of counts) {
      const perTask = runs.reduce((n, calls) => n + calls.length, 0) / Math.max(1, runs.length);
      const budget = BUDGETS[step];
      rows.push({
        metric: `${step}: git processes ${step === "integration" ? "per goal" : "per task"}`,
        value: perTask,
        unit: "processes",
        target: `<= ${budget}`,
        ok: perTask <= budget,
      });
      notes.push(`${step}: ${[...new Set(runs.map((calls) => calls.join(" ")))].join(" | ")}`);
    }
    return { name: bench.name, description: bench.description, rows, notes };
  },
};

export default bench;
