import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitWorkspace, createWorkspace, removeWorkspace } from "../../../src/git/index.js";

// A separate process doing what an agent process does, so cross-process lock contention is real:
// argv = repoDir, baseCommit, worker name, number of tasks.
const [repoDir, baseCommit, name, count] = process.argv.slice(2);
if (!repoDir || !baseCommit || !name) throw new Error("usage: workspace-worker <repo> <base> <name> <count>");
await Promise.all(
  Array.from({ length: Number(count ?? 1) }, async (_, i) => {
    const ws = await createWorkspace({ repoDir, goalId: "g1", taskId: `${name}-${i}`, baseCommit });
    writeFileSync(join(ws.dir, `${name}-${i}.txt`), `${name} ${i}\n`);
    const result = await commitWorkspace(ws, `${name} ${i}`);
    if (result.commits !== 1) throw new Error(`expected one commit, got ${result.commits}`);
    await removeWorkspace(ws);
  }),
);
