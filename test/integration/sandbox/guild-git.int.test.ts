import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitText, runGit } from "../../../src/git/git-exec.js";
import { commitWorkspace, createWorkspace, removeWorkspace } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

// A program that leaves a mark when git runs it: as a hook, an fsmonitor, or anything a config names.
function plant(path: string, marker: string): void {
  writeFileSync(path, `#!/bin/sh\necho "$0" >> ${marker}\n`);
  chmodSync(path, 0o755);
}

describe("guild's own git", () => {
  it("runs no planted hook, no fsmonitor and nothing from the user's git config", async () => {
    using repo = tempRepo({ "src/a.ts": "export const a = 1;\n" });
    using scratch = tempDir("guild-planted-");
    const marker = join(scratch.path, "ran.log");
    for (const hook of [
      "pre-commit",
      "post-commit",
      "post-checkout",
      "reference-transaction",
      "post-index-change",
    ]) {
      plant(join(repo.path, ".git/hooks", hook), marker);
    }
    const monitor = join(scratch.path, "fsmonitor.sh");
    plant(monitor, marker);
    repo.git("config", "core.fsmonitor", monitor);
    // A user-level config (as a CLI agent would edit ~/.gitconfig) naming hooks elsewhere.
    const userHooks = join(scratch.path, "user-hooks");
    mkdirSync(userHooks);
    plant(join(userHooks, "pre-commit"), marker);
    plant(join(userHooks, "post-checkout"), marker);
    writeFileSync(
      join(scratch.path, ".gitconfig"),
      `[core]\n\thooksPath = ${userHooks}\n\tfsmonitor = ${monitor}\n`,
    );
    const home = process.env.HOME;
    process.env.HOME = scratch.path;
    try {
      const ws = await createWorkspace({
        repoDir: repo.path,
        goalId: "g1",
        taskId: "t1",
        baseCommit: repo.head(),
      });
      writeFileSync(join(ws.dir, "src/a.ts"), "export const a = 2;\n");
      await runGit(ws.dir, ["status", "--porcelain"]);
      const result = await commitWorkspace(ws, "change a");
      expect(result.commits).toBe(1);
      expect(await gitText(ws.dir, ["show", "--name-only", "--format=", "HEAD"])).toBe("src/a.ts");
      await removeWorkspace({ repoDir: repo.path, dir: ws.dir });
    } finally {
      process.env.HOME = home;
    }
    // Without guild's settings, the same git does run them: the plant is real.
    expect(existsSync(marker)).toBe(false);
    repo.git("commit", "--allow-empty", "-q", "-m", "control");
    expect(existsSync(marker)).toBe(true);
  });

  it("commits only the paths it is given, not what another process wrote into the worktree", async () => {
    using repo = tempRepo({ "src/a.ts": "export const a = 1;\n", "src/gone.ts": "x\n" });
    const ws = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "t2",
      baseCommit: repo.head(),
    });
    writeFileSync(join(ws.dir, "src/a.ts"), "export const a = 2;\n");
    writeFileSync(join(ws.dir, "src/[weird]*.ts"), "export const w = 1;\n");
    repo.git("-C", ws.dir, "rm", "-q", "--cached", "src/gone.ts");
    // Written by someone else: a sibling's process, a leftover child.
    writeFileSync(join(ws.dir, "src/planted.ts"), "export const evil = 1;\n");
    writeFileSync(join(ws.dir, "src/gone.ts"), "changed by another process\n");
    const result = await commitWorkspace(ws, "only mine", {
      paths: ["src/a.ts", "src/[weird]*.ts", "src/never-written.ts"],
    });
    expect(result.changedPaths.sort()).toEqual(["src/[weird]*.ts", "src/a.ts"]);
    await removeWorkspace({ repoDir: repo.path, dir: ws.dir });
  });
});
