import { describe, expect, it } from "vitest";
import { adoptProposal, objectStoreId } from "../../../src/git/index.js";
import { isGuildError } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("proposals whose commits are already in the coordinator's repository", () => {
  it("names one object store for a repository and its worktrees, another for a clone", async () => {
    using repo = tempRepo();
    using elsewhere = tempDir("guild-clone-");
    const worktree = `${repo.path}/.guild/wt`;
    repo.git("worktree", "add", "-q", "--detach", worktree);
    repo.git("clone", "-q", repo.path, `${elsewhere.path}/clone`);
    const id = await objectStoreId(repo.path);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await objectStoreId(worktree)).toBe(id);
    expect(await objectStoreId(`${elsewhere.path}/clone`)).not.toBe(id);
  });

  it("stores a worktree's commit under the proposal ref after the same checks as a bundle, once", async () => {
    using repo = tempRepo({ "src/a.ts": "a\n" });
    const base = repo.head();
    const worktree = `${repo.path}/.guild/wt`;
    repo.git("worktree", "add", "-q", "-b", "guild/g/t1", worktree, base);
    repo.write({ ".guild/wt/src/a.ts": "changed\n", ".guild/wt/src/b.ts": "new\n" });
    const git = (...args: string[]) => repo.git("-C", worktree, ...args);
    git("add", "-A");
    git("commit", "-qm", "work");
    const head = git("rev-parse", "HEAD");
    const adopted = await adoptProposal(repo.path, head, { proposalId: "g-t1-1", baseCommit: base });
    expect(adopted).toEqual({
      ref: "refs/guild/proposals/g-t1-1",
      head,
      changedPaths: ["src/a.ts", "src/b.ts"],
    });
    expect(repo.git("rev-parse", adopted.ref)).toBe(head);
    // A redelivered proposal stores the same head again.
    await expect(adoptProposal(repo.path, head, { proposalId: "g-t1-1", baseCommit: base })).resolves.toEqual(
      adopted,
    );
    // The same proposal id with another head is refused, and the ref keeps the first head.
    git("commit", "-q", "--allow-empty", "-m", "more");
    const other = git("rev-parse", "HEAD");
    const clash = await adoptProposal(repo.path, other, { proposalId: "g-t1-1", baseCommit: base }).catch(
      (e: unknown) => e,
    );
    expect(isGuildError(clash, "git.bundle_rejected") && clash.details?.rule).toBe("proposal_exists");
    expect(repo.git("rev-parse", adopted.ref)).toBe(head);
    // Protected paths are refused without approval, as in a bundle.
    const refused = await adoptProposal(repo.path, head, {
      proposalId: "g-t1-2",
      baseCommit: base,
      isProtected: (p) => p === "src/b.ts",
    }).catch((e: unknown) => e);
    expect(isGuildError(refused, "git.bundle_rejected") && refused.details?.rule).toBe("protected_paths");
  });

  it("refuses work not based on the goal's base, and a head this repository does not have", async () => {
    using repo = tempRepo();
    const base = repo.head();
    repo.git("checkout", "-q", "--orphan", "elsewhere");
    repo.write({ "x.txt": "x\n" });
    repo.git("add", "-A");
    repo.git("commit", "-qm", "unrelated");
    const unrelated = repo.head();
    const notBased = await adoptProposal(repo.path, unrelated, { proposalId: "p-1", baseCommit: base }).catch(
      (e: unknown) => e,
    );
    expect(isGuildError(notBased, "git.bundle_rejected") && notBased.details?.rule).toBe("not_based_on_base");
    const missing = await adoptProposal(repo.path, "e".repeat(40), {
      proposalId: "p-2",
      baseCommit: base,
    }).catch((e: unknown) => e);
    expect(isGuildError(missing, "git.failed")).toBe(true);
    expect(() => repo.git("rev-parse", "--verify", "--quiet", "refs/guild/proposals/p-1")).toThrow();
  });
});
