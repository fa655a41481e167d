import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commitWorkspace, createWorkspace, removeWorkspace } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

const files = Object.fromEntries(
  Array.from({ length: 50 }, (_, i) => [`src/m${i}.ts`, `export const v${i} = ${i};\n`]),
);

describe("workspaces under concurrency", () => {
  it("creates, commits in and removes many workspaces at once in one process", async () => {
    using repo = tempRepo(files);
    const base = repo.head();
    const tasks = Array.from({ length: 12 }, (_, i) => `t${i}`);
    const heads = await Promise.all(
      tasks.map(async (taskId, i) => {
        const ws = await createWorkspace({
          repoDir: repo.path,
          goalId: "g1",
          taskId,
          baseCommit: base,
          ...(i % 2 === 0 ? { sparse: [`/src/m${i}.ts`] } : {}),
        });
        writeFileSync(join(ws.dir, `src/m${i}.ts`), `export const v${i} = ${i + 1000};\n`);
        const result = await commitWorkspace(ws, `task ${taskId}`);
        await removeWorkspace(ws);
        return result;
      }),
    );
    heads.forEach((h, i) => {
      expect(h.commits).toBe(1);
      expect(h.changedPaths).toEqual([`src/m${i}.ts`]);
      expect(repo.git("rev-parse", `guild/g1/t${i}`)).toBe(h.head);
    });
    expect(repo.git("worktree", "list").split("\n")).toHaveLength(1);
  });

  it("survives several processes creating workspaces in one repository at the same time", async () => {
    using repo = tempRepo(files);
    const base = repo.head();
    const script = join(import.meta.dirname, "workspace-worker.ts");
    const runs = Array.from(
      { length: 4 },
      (_, p) =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(process.execPath, ["--import", "tsx", script, repo.path, base, `w${p}`, "4"], {
            stdio: ["ignore", "inherit", "inherit"],
          });
          child.on("error", reject);
          child.on("exit", (code) => resolve(code ?? -1));
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    const branches = repo.git("for-each-ref", "--format=%(refname:short)", "refs/heads/guild/g1").split("\n");
    expect(branches).toHaveLength(16);
    expect(repo.git("worktree", "list").split("\n")).toHaveLength(1);
  });
});
