import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commitWorkspace, createWorkspace, type GitEvent, removeWorkspace } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

const files = {
  "README.md": "# app\n",
  "package.json": "{}\n",
  "src/api/server.ts": "export const port = 1;\n",
  "src/web/page.ts": "export const title = 'a';\n",
  "docs/guide.md": "guide\n",
};

describe("workspaces", () => {
  it("creates a full worktree on guild/<goal>/<task> from the base commit", async () => {
    using repo = tempRepo(files);
    const base = repo.head();
    const ws = await createWorkspace({ repoDir: repo.path, goalId: "g1", taskId: "t1", baseCommit: base });
    expect(ws.branch).toBe("guild/g1/t1");
    expect(ws.baseCommit).toBe(base);
    expect(readFileSync(join(ws.dir, "src/web/page.ts"), "utf8")).toContain("title");
    expect(repo.git("-C", ws.dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("guild/g1/t1");
    // The default root lives inside the checkout but stays out of the user's status.
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("checks out only the sparse patterns and commits within them", async () => {
    using repo = tempRepo(files);
    const base = repo.head();
    const ws = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "t2",
      baseCommit: base,
      sparse: ["/src/api/", "/README.md"],
    });
    expect(existsSync(join(ws.dir, "src/api/server.ts"))).toBe(true);
    expect(existsSync(join(ws.dir, "README.md"))).toBe(true);
    expect(existsSync(join(ws.dir, "src/web/page.ts"))).toBe(false);
    expect(existsSync(join(ws.dir, "docs"))).toBe(false);
    writeFileSync(join(ws.dir, "src/api/server.ts"), "export const port = 2;\n");
    writeFileSync(join(ws.dir, "src/api/new.ts"), "export {};\n");
    const result = await commitWorkspace(ws, "api: change port", { trailers: { "Guild-Task": "t2" } });
    expect(result.commits).toBe(1);
    expect(result.changedPaths.sort()).toEqual(["src/api/new.ts", "src/api/server.ts"]);
    // Files that were never checked out are not recorded as deleted.
    expect(repo.git("ls-tree", "-r", "--name-only", result.head)).toContain("src/web/page.ts");
    expect(repo.git("log", "-1", "--format=%B", result.head)).toContain("Guild-Task: t2");
    expect(repo.git("log", "-1", "--format=%an <%ae>", result.head)).toBe("guild <guild@localhost>");
  });

  it("reports head = base and zero commits when nothing changed", async () => {
    using repo = tempRepo(files);
    const base = repo.head();
    const ws = await createWorkspace({ repoDir: repo.path, goalId: "g1", taskId: "t3", baseCommit: base });
    const result = await commitWorkspace(ws, "nothing");
    expect(result).toEqual({ head: base, commits: 0, changedPaths: [] });
  });

  it("reports one new commit, more commits, and a packed commit as git sees them", async () => {
    using repo = tempRepo(files);
    const base = repo.head();
    const ws = await createWorkspace({ repoDir: repo.path, goalId: "g1", taskId: "t6", baseCommit: base });
    writeFileSync(join(ws.dir, "docs/guide.md"), "better guide\n");
    writeFileSync(join(ws.dir, "docs/new.md"), "new\n");
    const result = await commitWorkspace(ws, "docs");
    expect(result).toEqual({
      head: repo.git("-C", ws.dir, "rev-parse", "HEAD"),
      commits: 1,
      changedPaths: ["docs/guide.md", "docs/new.md"],
    });
    // The agent's own commit on top (a CLI brain may commit): two commits, the net paths.
    repo.git("-C", ws.dir, "rm", "-q", "docs/new.md");
    repo.git("-C", ws.dir, "commit", "-qm", "drop new.md");
    writeFileSync(join(ws.dir, "README.md"), "# app!\n");
    const more = await commitWorkspace(ws, "readme");
    expect(more).toMatchObject({ commits: 3, changedPaths: ["README.md", "docs/guide.md"] });
    // One commit again, but packed (no loose object to read): git answers, the same.
    const ws2 = await createWorkspace({ repoDir: repo.path, goalId: "g1", taskId: "t7", baseCommit: base });
    writeFileSync(join(ws2.dir, "README.md"), "# packed\n");
    await commitWorkspace(ws2, "readme");
    repo.git("gc", "-q", "--prune=now");
    const packed = await commitWorkspace(ws2, "nothing more");
    expect(packed).toMatchObject({ commits: 1, changedPaths: ["README.md"] });
  });

  it("commits with the given author", async () => {
    using repo = tempRepo(files);
    const ws = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "t4",
      baseCommit: repo.head(),
    });
    writeFileSync(join(ws.dir, "docs/guide.md"), "better guide\n");
    const result = await commitWorkspace(ws, "docs", {
      author: { name: "Docs Bot", email: "docs@guild.invalid" },
    });
    expect(repo.git("log", "-1", "--format=%an <%ae>|%cn", result.head)).toBe(
      "Docs Bot <docs@guild.invalid>|guild",
    );
  });

  it("salvages uncommitted work to a guild/salvage ref before removing, and says so", async () => {
    using repo = tempRepo(files);
    const ws = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "t5",
      baseCommit: repo.head(),
    });
    writeFileSync(join(ws.dir, "src/api/server.ts"), "unsaved\n");
    writeFileSync(join(ws.dir, "scratch.txt"), "notes\n");
    const events: GitEvent[] = [];
    const salvaged = await removeWorkspace(ws, { onEvent: (e) => events.push(e) });
    expect(existsSync(ws.dir)).toBe(false);
    expect(salvaged?.ref).toMatch(/^refs\/guild\/salvage\/g1\/t5\//);
    expect(repo.git("show", `${salvaged?.ref}:scratch.txt`)).toBe("notes");
    expect(repo.git("show", `${salvaged?.ref}:src/api/server.ts`)).toBe("unsaved");
    expect(events.map((e) => e.type)).toEqual(["workspace.salvaged"]);
    expect(repo.git("worktree", "list", "--porcelain")).not.toContain(ws.dir);
  });

  it("removes a clean workspace without a salvage ref and can discard on purpose", async () => {
    using repo = tempRepo(files);
    const clean = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "t6",
      baseCommit: repo.head(),
    });
    expect(await removeWorkspace(clean)).toBeUndefined();
    const dirty = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "t7",
      baseCommit: repo.head(),
    });
    writeFileSync(join(dirty.dir, "x.txt"), "x\n");
    expect(await removeWorkspace(dirty, { salvage: false })).toBeUndefined();
    expect(repo.git("for-each-ref", "refs/guild/salvage")).toBe("");
  });

  it("refuses a second workspace for a task whose branch is checked out", async () => {
    using repo = tempRepo(files);
    await createWorkspace({ repoDir: repo.path, goalId: "g1", taskId: "t8", baseCommit: repo.head() });
    await expect(
      createWorkspace({
        repoDir: repo.path,
        goalId: "g1",
        taskId: "t8",
        baseCommit: repo.head(),
        root: join(repo.path, "..", "other"),
      }),
    ).rejects.toMatchObject({ code: "git.failed" });
  });

  it("keeps an earlier attempt's commits under a salvage ref when the branch is reset to a new base", async () => {
    using repo = tempRepo(files);
    const base = repo.head();
    const first = await createWorkspace({ repoDir: repo.path, goalId: "g1", taskId: "t9", baseCommit: base });
    writeFileSync(join(first.dir, "a.txt"), "attempt 1\n");
    const { head } = await commitWorkspace(first, "attempt 1");
    await removeWorkspace(first);
    const events: GitEvent[] = [];
    const second = await createWorkspace({
      repoDir: repo.path,
      goalId: "g1",
      taskId: "t9",
      baseCommit: base,
      onEvent: (e) => events.push(e),
    });
    expect(repo.git("-C", second.dir, "rev-parse", "HEAD")).toBe(base);
    expect(events[0]?.type).toBe("workspace.salvaged");
    expect(repo.git("for-each-ref", "--format=%(objectname)", "refs/guild/salvage/g1/t9")).toBe(head);
  });
});
