import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AgentWorktree,
  commitWorkspace,
  dependencyBase,
  ensureMirror,
  exportBaseBundle,
  exportBundle,
  hasCommit,
  importBaseBundle,
  importBundle,
  repoId,
} from "../../../src/git/index.js";
import { git, tempRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

function entry(id: string, head: string) {
  return { id, head, taskId: id, role: "backend", decision: "accepted" };
}

describe("an agent's mirror of a repository it has no checkout of", () => {
  it("names a repository by its root commits, the same for a clone, another for an unrelated one", async () => {
    using repo = tempRepo({ "a.txt": "a\n" });
    using clones = tempDir();
    const clone = join(clones.path, repo.path.split("/").at(-1) as string);
    git(clones.path, "clone", "-q", repo.path, clone);
    using other = tempRepo({ "a.txt": "a\n", "b.txt": "other\n" });
    const id = await repoId(repo.path, "HEAD");
    expect(id).toMatch(/^[A-Za-z0-9_-]+-[0-9a-f]{16}$/);
    expect(id).not.toContain("/");
    expect(await repoId(clone, "HEAD")).toBe(id);
    expect((await repoId(other.path, "HEAD")).split("-").at(-1)).not.toBe(id.split("-").at(-1));
  });

  it("is made once when the agents of one home meet a new repository at the same moment", async () => {
    using repo = tempRepo({ "a.txt": "a\n" });
    using home = tempDir();
    const id = await repoId(repo.path, "HEAD");
    // Five agents of one process, as in `guild up`: each asks for the mirror before any has made it.
    const dirs = await Promise.all(Array.from({ length: 5 }, () => ensureMirror(home.path, id)));
    expect(new Set(dirs)).toEqual(new Set([join(home.path, "repos", `${id}.git`)]));
    expect(git(dirs[0] as string, "rev-parse", "--is-bare-repository")).toBe("true");
    // No scratch repository is left beside it, and a later call finds it as it is.
    expect(readdirSync(join(home.path, "repos"))).toEqual([`${id}.git`]);
    expect(await ensureMirror(home.path, id)).toBe(dirs[0]);
  });

  it("takes the base as a full bundle, then a later base incrementally, works on it and ships a proposal back", async () => {
    using repo = tempRepo({ "src/a.ts": "export const a = 1;\n" });
    using home = tempDir();
    const base = repo.head();
    const mirror = await ensureMirror(home.path, "demo-0123456789abcdef");
    expect(await hasCommit(mirror, base)).toBe(false);
    await importBaseBundle(mirror, await exportBaseBundle(repo.path, { commit: base }), base);
    expect(await hasCommit(mirror, base)).toBe(true);

    repo.write({ "src/b.ts": "export const b = 2;\n" });
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "dependency's work");
    const later = repo.head();
    const incremental = await exportBaseBundle(repo.path, { commit: later, since: base });
    const full = await exportBaseBundle(repo.path, { commit: later });
    expect(incremental.byteLength).toBeLessThan(full.byteLength);
    await importBaseBundle(mirror, incremental, later);
    expect(await hasCommit(mirror, later)).toBe(true);

    // A worktree beside the mirror, a commit in it, and the proposal bundle the coordinator imports.
    const worktree = new AgentWorktree({
      repoDir: mirror,
      agentId: "backend-1",
      root: join(home.path, "wt"),
    });
    const ws = await worktree.switchTo({ goalId: "g1", taskId: "t1", baseCommit: later });
    expect(git(ws.dir, "rev-parse", "HEAD")).toBe(later);
    git(ws.dir, "config", "user.email", "x@y");
    writeFileSync(join(ws.dir, "src/c.ts"), "export const c = 3;\n");
    const committed = await commitWorkspace(ws, "backend: c", { author: { name: "a", email: "a@b" } });
    const bundle = await exportBundle(mirror, { base: later, head: committed.head, ref: "g1-t1-1" });
    const imported = await importBundle(repo.path, bundle, { proposalId: "g1-t1-1", baseCommit: later });
    expect(imported.head).toBe(committed.head);
    expect(imported.changedPaths).toEqual(["src/c.ts"]);
    await worktree.remove({ salvage: false });
  });

  it("refuses a base bundle that does not bring the commit the assignment names", async () => {
    using repo = tempRepo({ "a.txt": "a\n" });
    using home = tempDir();
    const first = repo.head();
    repo.write({ "a.txt": "b\n" });
    repo.git("commit", "-qam", "second");
    const mirror = await ensureMirror(home.path, "r-0123456789abcdef");
    const bundle = await exportBaseBundle(repo.path, { commit: repo.head() });
    await expect(importBaseBundle(mirror, bundle, first)).rejects.toThrow(/must carry only/);
    expect(await hasCommit(mirror, repo.head())).toBe(false);
  });

  it("starts a dependent from its dependencies' heads: one taken as it is, two merged", async () => {
    using repo = tempRepo({ "a.txt": "a\n", "b.txt": "b\n" });
    const base = repo.head();
    const branch = (name: string, file: string) => {
      repo.git("checkout", "-q", "-b", name, base);
      repo.write({ [file]: `${name}\n` });
      repo.git("commit", "-qam", name);
      return repo.head();
    };
    const one = branch("one", "a.txt");
    const two = branch("two", "b.txt");
    expect(await dependencyBase(repo.path, base, [entry("one", one)])).toEqual({ kind: "merged", head: one });
    const both = await dependencyBase(repo.path, base, [entry("one", one), entry("two", two)]);
    if (both.kind !== "merged") throw new Error("expected a merge");
    repo.git("merge-base", "--is-ancestor", one, both.head);
    repo.git("merge-base", "--is-ancestor", two, both.head);
    expect(repo.git("show", `${both.head}:a.txt`)).toBe("one");
    expect(repo.git("show", `${both.head}:b.txt`)).toBe("two");
    const clash = branch("clash", "a.txt");
    const refused = await dependencyBase(repo.path, base, [entry("one", one), entry("clash", clash)]);
    expect(refused).toMatchObject({ kind: "conflict", id: "clash", files: ["a.txt"] });
  });
});
