import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitText, runGit } from "../../../src/git/git-exec.js";
import {
  commitWorkspace,
  createWorkspace,
  mergeTree,
  proposalDiff,
  removeWorkspace,
  trialMerge,
  worktreeChanges,
} from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { plantedRepo as plantedRepoWith } from "../../helpers/planted-git.js";
import { tempDir } from "../../helpers/temp-dir.js";

const LINES = "a1\na2\na3\na4\na5\n";

function plantedRepo(marker: string, scratch: string) {
  return plantedRepoWith(marker, scratch, { "src/a.ts": LINES, "docs/n.md": "note\n" });
}

async function commitOn(repo: string, base: string, taskId: string, files: Record<string, string>) {
  const ws = await createWorkspace({ repoDir: repo, goalId: "g1", taskId, baseCommit: base });
  for (const [path, content] of Object.entries(files)) writeFileSync(join(ws.dir, path), content);
  const result = await commitWorkspace(ws, `change ${taskId}`);
  return { ws, head: result.head };
}

describe("guild's own git and the programs a repository's config names", () => {
  it("runs no filter, diff driver, merge driver or signing program, and its operations still work", async () => {
    using scratch = tempDir("guild-programs-");
    const marker = join(scratch.path, "ran.log");
    using repo = plantedRepo(marker, scratch.path);
    const base = repo.head();

    // Checkout (smudge), add and commit (clean, process, signing).
    const ours = await commitOn(repo.path, base, "t1", {
      "src/a.ts": LINES.replace("a1", "A1"),
      "docs/n.md": "note 2\n",
    });
    const theirs = await commitOn(repo.path, base, "t2", { "src/a.ts": LINES.replace("a5", "A5") });
    expect(readFileSync(join(ours.ws.dir, "src/a.ts"), "utf8")).toBe(LINES.replace("a1", "A1"));
    expect(await gitText(repo.path, ["cat-file", "-p", `${ours.head}:docs/n.md`])).toBe("note 2");
    expect(await gitText(repo.path, ["log", "-1", "--format=%G?", ours.head])).toBe("N");

    // Diffs as a reviewer, a model and the worktree's change list see them: the content, not a textconv.
    const diff = await proposalDiff(repo.path, base, ours.head);
    expect(diff).toContain("-a1\n+A1");
    expect((await gitText(repo.path, ["diff", base, ours.head, "--", "src/a.ts"])).split("\n")).toContain(
      "+A1",
    );
    expect(await gitText(repo.path, ["show", "--format=", ours.head, "--", "src/a.ts"])).toContain("+A1");
    expect(await gitText(repo.path, ["log", "-p", "-1", ours.head])).toContain("+A1");
    writeFileSync(join(ours.ws.dir, "src/a.ts"), LINES.replace("a1", "A1").replace("a3", "A3"));
    expect((await worktreeChanges(ours.ws.dir, base)).map((c) => c.path)).toContain("src/a.ts");
    expect(await gitText(ours.ws.dir, ["status", "--porcelain"])).toBe("M src/a.ts");

    // Both sides changed src/a.ts, so its merge driver would run: git's own text merge does instead.
    const merged = await mergeTree(repo.path, ours.head, theirs.head);
    expect(merged.clean).toBe(true);
    expect(await gitText(repo.path, ["cat-file", "-p", `${merged.tree}:src/a.ts`])).toBe(
      "A1\na2\na3\na4\nA5",
    );
    const clash = await commitOn(repo.path, base, "t3", { "src/a.ts": LINES.replace("a1", "Z1") });
    const conflict = await mergeTree(repo.path, ours.head, clash.head);
    expect(conflict.clean).toBe(false);
    expect(conflict.conflictedPaths).toEqual(["src/a.ts"]);
    const entry = (id: string, head: string) => ({
      id,
      head,
      taskId: id,
      role: "r",
      decision: "ok",
      title: id,
    });
    const trial = await trialMerge(repo.path, {
      base,
      entries: [entry("t1", ours.head), entry("t2", theirs.head)],
    });
    expect(trial.merged).toEqual(["t1", "t2"]);
    expect(await gitText(repo.path, ["cat-file", "-p", `${trial.head}:src/a.ts`])).toBe("A1\na2\na3\na4\nA5");

    for (const ws of [ours.ws, theirs.ws, clash.ws]) await removeWorkspace(ws, { deleteBranch: true });
    expect(existsSync(marker)).toBe(false);
    // The same git without guild's settings does run them: the plant is real.
    repo.git("diff", base, ours.head);
    expect(readFileSync(marker, "utf8")).toContain("prog.sh");
  });

  it("sees a driver added after an earlier run of the same repository", async () => {
    using scratch = tempDir("guild-programs-late-");
    const marker = join(scratch.path, "ran.log");
    using repo = tempRepo({ "src/a.ts": LINES, ".gitattributes": "*.ts filter=late\n" });
    await runGit(repo.path, ["status", "--porcelain"]);
    const prog = join(scratch.path, "late.sh");
    writeFileSync(prog, `#!/bin/sh\necho ran >> ${marker}\ncat\n`);
    chmodSync(prog, 0o755);
    repo.git("config", "filter.late.clean", prog);
    repo.git("config", "filter.late.required", "true");
    const ws = await createWorkspace({
      repoDir: repo.path,
      goalId: "g2",
      taskId: "t1",
      baseCommit: repo.head(),
    });
    writeFileSync(join(ws.dir, "src/a.ts"), "changed\n");
    expect((await commitWorkspace(ws, "late")).commits).toBe(1);
    await removeWorkspace(ws, { deleteBranch: true });
    expect(existsSync(marker)).toBe(false);
  });
});
