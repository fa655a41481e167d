import { describe, expect, it } from "vitest";
import { fastForwardBase, mergeIntoIntegration } from "../../../src/git/index.js";
import { isGuildError } from "../../../src/protocol/index.js";
import { proposalRepo } from "./proposal-repo.js";

const entry = (id: string, head: string, taskId: string) => ({
  id,
  head,
  taskId,
  role: "backend",
  decision: "accepted: owner of the changed paths",
  title: `work of ${taskId}`,
});

describe("merging into the integration branch", () => {
  it("merges proposals in order with one merge commit each and guild trailers, touching no checkout", async () => {
    using repo = proposalRepo({ "a.txt": "a\n", "b.txt": "b\n" });
    const one = repo.propose({ "a.txt": "a1\n" });
    const two = repo.propose({ "b.txt": "b2\n", "c.txt": "c\n" });
    repo.write({ "a.txt": "uncommitted edit in the user's checkout\n" });
    const result = await mergeIntoIntegration(repo.path, {
      goalId: "g1",
      base: repo.base,
      entries: [entry("p1", one, "t1"), entry("p2", two, "t2")],
    });
    expect(result).toMatchObject({ branch: "guild/g1.integration", merged: ["p1", "p2"], conflicts: [] });
    expect(repo.git("rev-parse", "guild/g1.integration")).toBe(result.head);
    expect(repo.git("show", `${result.head}:a.txt`)).toBe("a1");
    expect(repo.git("show", `${result.head}:c.txt`)).toBe("c");
    expect(repo.git("rev-list", "--merges", "--count", `${repo.base}..${result.head}`)).toBe("2");
    expect(repo.git("log", "-1", "--format=%P", result.head).split(" ")).toEqual([
      repo.git("rev-parse", `${result.head}^1`),
      two,
    ]);
    const message = repo.git("log", "-1", "--format=%B", result.head);
    expect(message).toContain("Merge t2: work of t2 (p2)");
    expect(repo.git("log", "-1", "--format=%(trailers:key=Guild-Task,valueonly)", result.head)).toBe("t2");
    expect(repo.git("log", "-1", "--format=%(trailers:key=Guild-Role,valueonly)", result.head)).toBe(
      "backend",
    );
    expect(message).toContain("Guild-Decision: accepted: owner of the changed paths");
    // Each entry names its own merge commit, not the final head: p1's is the first merge, whose trailer names t1.
    expect(result.commits.p2).toBe(result.head);
    expect(result.commits.p1).toBe(repo.git("rev-parse", `${result.head}^1`));
    expect(result.commits.p1).not.toBe(result.head);
    expect(
      repo.git("log", "-1", "--format=%(trailers:key=Guild-Task,valueonly)", result.commits.p1 as string),
    ).toBe("t1");
    expect(repo.git("log", "-1", "--format=%P", result.commits.p1 as string).split(" ")).toEqual([
      repo.base,
      one,
    ]);
    // The user's checkout and branch are untouched.
    expect(repo.git("rev-parse", "HEAD")).toBe(repo.base);
    expect(repo.git("status", "--porcelain")).toBe("M a.txt");
    // Running again is harmless: everything is already merged.
    const again = await mergeIntoIntegration(repo.path, {
      goalId: "g1",
      base: repo.base,
      entries: [entry("p1", one, "t1"), entry("p2", two, "t2")],
    });
    expect(again).toMatchObject({ head: result.head, merged: ["p1", "p2"] });
    // Nothing was merged this time: each entry's commit is its own head, which the branch holds.
    expect(again.commits).toEqual({ p1: one, p2: two });
  });

  it("counts what the branch already holds as merged, and merges a twin change that it does not hold", async () => {
    using repo = proposalRepo({ "a.txt": "a\n" });
    const first = repo.propose({ "a.txt": "a1\n" });
    const second = repo.propose({ "b.txt": "b\n" }, first);
    // The same change as `first`, made by another commit: its merge changes no file, but it is not in.
    const twin = repo.propose({ "a.txt": "a1\n" });
    const result = await mergeIntoIntegration(repo.path, {
      goalId: "g3",
      base: repo.base,
      entries: [
        entry("p2", second, "t2"),
        // Already in: a commit inside p2's history, and a proposal that changed nothing (its head is the base).
        entry("p1", first, "t1"),
        entry("p0", repo.base, "t0"),
        entry("p3", twin, "t3"),
      ],
    });
    expect(result).toMatchObject({ merged: ["p2", "p1", "p0", "p3"], conflicts: [] });
    expect(repo.git("rev-list", "--merges", "--count", `${repo.base}..${result.head}`)).toBe("2");
    expect(repo.git("log", "-1", "--format=%P", result.head).split(" ")[1]).toBe(twin);
    expect(repo.git("rev-parse", `${result.head}^{tree}`)).toBe(repo.git("rev-parse", `${second}^{tree}`));
  });

  it("stops at a conflicting entry and reports it without moving past it", async () => {
    using repo = proposalRepo({ "a.txt": "a\n" });
    const one = repo.propose({ "a.txt": "one\n" });
    const two = repo.propose({ "a.txt": "two\n" });
    const three = repo.propose({ "z.txt": "z\n" });
    const result = await mergeIntoIntegration(repo.path, {
      goalId: "g2",
      base: repo.base,
      entries: [entry("p1", one, "t1"), entry("p2", two, "t2"), entry("p3", three, "t3")],
    });
    expect(result.merged).toEqual(["p1"]);
    expect(result.conflicts).toEqual([{ id: "p2", files: ["a.txt"] }]);
    expect(repo.git("show", `${result.head}:a.txt`)).toBe("one");
    expect(repo.git("rev-parse", "guild/g2.integration")).toBe(result.head);
  });

  it("fast-forwards the checked-out base branch, and refuses when the base moved", async () => {
    using repo = proposalRepo({ "a.txt": "a\n" });
    const one = repo.propose({ "a.txt": "one\n" });
    const merged = await mergeIntoIntegration(repo.path, {
      goalId: "g3",
      base: repo.base,
      entries: [entry("p1", one, "t1")],
    });
    repo.write({ "a.txt": "moved\n" });
    repo.git("commit", "-q", "-am", "someone else");
    const moved = repo.head();
    const refused = await fastForwardBase(repo.path, {
      baseBranch: "main",
      expectedBase: repo.base,
      to: merged.head,
    }).catch((e: unknown) => e);
    expect(isGuildError(refused, "git.conflict")).toBe(true);
    expect(repo.head()).toBe(moved);
    repo.git("reset", "-q", "--hard", repo.base);
    const done = await fastForwardBase(repo.path, {
      baseBranch: "main",
      expectedBase: repo.base,
      to: merged.head,
    });
    expect(done).toEqual({ from: repo.base, to: merged.head });
    expect(repo.head()).toBe(merged.head);
    expect(repo.git("status", "--porcelain")).toBe("");
  });
});
