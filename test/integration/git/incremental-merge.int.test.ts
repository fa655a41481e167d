import { describe, expect, it } from "vitest";
import { IncrementalMerge, mergeIntoIntegration } from "../../../src/git/index.js";
import { proposalRepo } from "./proposal-repo.js";

const entry = (id: string, head: string, decision = "accepted: owner of the changed paths") => ({
  id,
  head,
  taskId: id,
  role: "backend",
  decision,
  title: `work of ${id}`,
});

describe("merging ahead of time (IncrementalMerge)", () => {
  it("builds, offer by offer, the tree a merge from scratch builds, and the branch takes it without merging again", async () => {
    using repo = proposalRepo({ "a.txt": "a\n", "b.txt": "b\n" });
    const p1 = entry("t1", repo.propose({ "a.txt": "a1\n" }));
    const p2 = entry("t2", repo.propose({ "c.txt": "c\n" }));
    const p3 = entry("t3", repo.propose({ "b.txt": null }));
    const premerge = new IncrementalMerge(repo.path, repo.base);
    // Offered as the coordinator does: all accepted so far, in plan order, each time one more is accepted.
    await premerge.offer([p2]);
    await premerge.offer([p1, p2]);
    await premerge.offer([p1, p2, p3]);
    const prepared = await premerge.preparedFor([p1, p2, p3]);
    expect(prepared?.merged).toEqual(["t2", "t1", "t3"]);
    const head = prepared?.head as string;
    // Each entry keeps its own merge commit: the one whose Guild-Task trailer names it.
    for (const id of ["t1", "t2", "t3"])
      expect(
        repo.git(
          "log",
          "-1",
          "--format=%(trailers:key=Guild-Task,valueonly)",
          prepared?.commits[id] as string,
        ),
      ).toBe(id);
    expect(prepared?.commits.t3).toBe(head);
    expect(repo.git("rev-list", "--merges", "--count", `${repo.base}..${head}`)).toBe("3");

    const scratch = await mergeIntoIntegration(repo.path, {
      goalId: "scratch",
      base: repo.base,
      entries: [p1, p2, p3],
      fromScratch: true,
    });
    expect(repo.git("rev-parse", `${head}^{tree}`)).toBe(repo.git("rev-parse", `${scratch.head}^{tree}`));

    const before = repo.git("count-objects", "-v");
    const result = await mergeIntoIntegration(repo.path, {
      goalId: "g1",
      base: repo.base,
      entries: [p1, p2, p3],
      fromScratch: true,
      ...(prepared ? { prepared } : {}),
    });
    expect(result).toMatchObject({ head, merged: ["t2", "t1", "t3"], conflicts: [] });
    expect(result.commits).toEqual(prepared?.commits);
    expect(repo.git("rev-parse", "guild/g1.integration")).toBe(head);
    // No new merge commit was written for the branch: it points at the prepared one.
    expect(repo.git("count-objects", "-v")).toBe(before);
    expect(repo.git("log", "-1", "--format=%(trailers:key=Guild-Task,valueonly)", head)).toBe("t3");
  });

  it("offers nothing unless it holds exactly the entries to merge: ids, heads and trailers", async () => {
    using repo = proposalRepo({ "a.txt": "a\n" });
    const p1 = entry("t1", repo.propose({ "x.txt": "x\n" }));
    const p2 = entry("t2", repo.propose({ "y.txt": "y\n" }));
    const premerge = new IncrementalMerge(repo.path, repo.base);
    await premerge.offer([p1, p2]);
    expect(await premerge.preparedFor([p1])).toBeUndefined();
    expect(await premerge.preparedFor([p1, p2, entry("t3", p2.head)])).toBeUndefined();
    // A settlement that replaced a head, or changed the recorded decision, means merging afresh.
    const replaced = entry("t2", repo.propose({ "y.txt": "y2\n" }));
    expect(await premerge.preparedFor([p1, replaced])).toBeUndefined();
    expect(await premerge.preparedFor([p1, entry("t2", p2.head, "won by role priority")])).toBeUndefined();
    expect((await premerge.preparedFor([p2, p1]))?.merged).toEqual(["t1", "t2"]);
  });

  it("gives up at a conflict, leaving the decision to settlement and the merge to a fresh start", async () => {
    using repo = proposalRepo({ "a.txt": "a\n" });
    const p1 = entry("t1", repo.propose({ "a.txt": "one\n" }));
    const p2 = entry("t2", repo.propose({ "a.txt": "two\n" }));
    const premerge = new IncrementalMerge(repo.path, repo.base);
    await premerge.offer([p1, p2]);
    expect(await premerge.preparedFor([p1, p2])).toBeUndefined();
    expect(await premerge.preparedFor([p1])).toBeUndefined();
  });

  it("waits for an offer still running before it answers", async () => {
    using repo = proposalRepo({ "a.txt": "a\n" });
    const p1 = entry("t1", repo.propose({ "x.txt": "x\n" }));
    const premerge = new IncrementalMerge(repo.path, repo.base);
    void premerge.offer([p1]);
    expect((await premerge.preparedFor([p1]))?.merged).toEqual(["t1"]);
  });
});
