import { describe, expect, it } from "vitest";
import { createWorkspace, exportBundle, importBundle, removeWorkspace } from "../../../src/git/index.js";
import { git, tempRepo, writeFiles } from "../../helpers/git-repo.js";

describe("bundle import beside busy worktrees", () => {
  it("imports every bundle while other worktrees are added, committed in and removed at the same time", async () => {
    using repo = tempRepo({ "a.txt": "a\n" });
    const base = repo.head();
    const heads: string[] = [];
    for (let i = 0; i < 8; i++) {
      const ws = await createWorkspace({
        repoDir: repo.path,
        goalId: "g",
        taskId: `p${i}`,
        baseCommit: base,
      });
      writeFiles(ws.dir, { [`p${i}.txt`]: `${i}\n` });
      git(ws.dir, "add", "-A");
      git(ws.dir, "commit", "-q", "-m", `p${i}`);
      heads.push(git(ws.dir, "rev-parse", "HEAD"));
      await removeWorkspace(ws);
    }
    const bundles = await Promise.all(
      heads.map((head, i) => exportBundle(repo.path, { base, head, ref: `g-p${i}-1` })),
    );
    const churn = (async () => {
      for (let i = 0; i < 16; i++) {
        const ws = await createWorkspace({
          repoDir: repo.path,
          goalId: "g",
          taskId: `churn${i}`,
          baseCommit: base,
        });
        writeFiles(ws.dir, { "churn.txt": `${i}\n` });
        git(ws.dir, "add", "-A");
        git(ws.dir, "commit", "-q", "-m", `churn ${i}`);
        await removeWorkspace(ws, { deleteBranch: true });
      }
    })();
    const imported = await Promise.all(
      bundles.map((bundle, i) =>
        importBundle(repo.path, bundle, { proposalId: `g-p${i}-1`, baseCommit: base }),
      ),
    );
    await churn;
    expect(imported.map((r) => r.head)).toEqual(heads);
    expect(imported.map((r) => r.changedPaths)).toEqual(heads.map((_, i) => [`p${i}.txt`]));
  });
});
