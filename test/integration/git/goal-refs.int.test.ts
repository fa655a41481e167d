import { describe, expect, it } from "vitest";
import { removeGoalRefs } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

describe("the refs a finished goal leaves", () => {
  it("deletes its task branches and proposal refs, and keeps the integration branch, salvage refs and other goals' refs", async () => {
    using repo = tempRepo({ "a.txt": "a\n" });
    const base = repo.head();
    repo.git("commit", "-q", "--allow-empty", "-m", "other");
    const other = repo.head();
    for (const ref of [
      "refs/heads/guild/g1/t1",
      "refs/heads/guild/g1/t2",
      "refs/heads/guild/g1.integration",
      "refs/guild/salvage/g1/t1/1",
      // As review names them: the goal's id, then the proposal's.
      "refs/guild/proposals/g1-t1-1",
      // Another goal's proposal of the same id.
      "refs/guild/proposals/g2-t1-1",
      "refs/heads/guild/g2/t1",
    ])
      repo.git("update-ref", ref, base);
    // A proposal ref that no longer holds the head review stored is left alone.
    repo.git("update-ref", "refs/guild/proposals/g1-t2-1", other);
    const deleted = await removeGoalRefs(repo.path, "g1", [
      { proposalId: "t1-1", head: base },
      { proposalId: "t2-1", head: base },
    ]);
    expect(deleted.sort()).toEqual([
      "refs/guild/proposals/g1-t1-1",
      "refs/heads/guild/g1/t1",
      "refs/heads/guild/g1/t2",
    ]);
    const left = repo.git("for-each-ref", "--format=%(refname)").split("\n").sort();
    expect(left).toEqual([
      "refs/guild/proposals/g1-t2-1",
      "refs/guild/proposals/g2-t1-1",
      "refs/guild/salvage/g1/t1/1",
      "refs/heads/guild/g1.integration",
      "refs/heads/guild/g2/t1",
      "refs/heads/main",
    ]);
  });

  it("keeps a task branch a worktree has checked out", async () => {
    using repo = tempRepo({ "a.txt": "a\n" });
    repo.git("worktree", "add", "-q", "-b", "guild/g1/t1", `${repo.path}/.guild/wt`, "HEAD");
    expect(await removeGoalRefs(repo.path, "g1", [])).toEqual([]);
    expect(repo.git("for-each-ref", "--format=%(refname)", "refs/heads/guild/")).toBe(
      "refs/heads/guild/g1/t1",
    );
  });
});
