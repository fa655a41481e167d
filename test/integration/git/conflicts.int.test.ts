import { describe, expect, it } from "vitest";
import { detectConflicts } from "../../../src/git/index.js";
import { proposalRepo } from "./proposal-repo.js";

const lines = (n: number, tag = "") =>
  `${Array.from({ length: n }, (_, i) => `line ${i + 1}${tag}`).join("\n")}\n`;

describe("conflict detection", () => {
  it("reports clean, merged and conflicting files with hunks, line ranges and both sides", async () => {
    using repo = proposalRepo({ "a.txt": lines(20), "b.txt": lines(20), "c.txt": "c\n" });
    const base = repo.base;
    const one = repo.propose({
      "a.txt": lines(20).replace("line 2\n", "line 2 from one\n"),
      "b.txt": lines(20).replace("line 10\n", "ten by one\nextra by one\n"),
      "c.txt": "c by one\n",
    });
    const two = repo.propose({
      "a.txt": lines(20).replace("line 18\n", "line 18 from two\n"),
      "b.txt": lines(20).replace("line 10\n", "ten by two\n"),
      "d.txt": "d\n",
    });
    const report = await detectConflicts(repo.path, [
      { id: "one", base, head: one },
      { id: "two", base, head: two },
    ]);
    expect(report).toMatchObject({ pairsTotal: 1, pairsCompared: 1, pairsSkipped: 0 });
    const pair = report.pairs[0];
    expect(pair?.clean).toBe(false);
    const byPath = Object.fromEntries((pair?.files ?? []).map((f) => [f.path, f]));
    expect(byPath["a.txt"]?.status).toBe("merged");
    expect(byPath["c.txt"]?.status).toBe("clean");
    expect(byPath["d.txt"]?.status).toBe("clean");
    const b = byPath["b.txt"];
    expect(b?.status).toBe("conflict");
    expect(b?.kinds).toEqual(["CONFLICT (contents)"]);
    expect(b?.hunks).toHaveLength(1);
    const hunk = b?.hunks[0];
    expect(hunk?.ours).toEqual({ start: 10, end: 11, text: "ten by one\nextra by one\n" });
    expect(hunk?.theirs).toEqual({ start: 10, end: 10, text: "ten by two\n" });
    expect(hunk?.base).toEqual({ start: 10, end: 10, text: "line 10\n" });
    expect(hunk?.merged.start).toBeLessThan(hunk?.merged.end ?? 0);
    expect(report.conflicts).toEqual([{ ids: ["one", "two"], files: ["b.txt"] }]);
  });

  it("reports modify/delete conflicts without hunks", async () => {
    using repo = proposalRepo({ "a.txt": lines(5) });
    const one = repo.propose({ "a.txt": lines(5, "!") });
    const two = repo.propose({ "a.txt": null });
    const report = await detectConflicts(repo.path, [
      { id: "one", base: repo.base, head: one },
      { id: "two", base: repo.base, head: two },
    ]);
    const file = report.pairs[0]?.files.find((f) => f.path === "a.txt");
    expect(file?.status).toBe("conflict");
    expect(file?.kinds).toEqual(["CONFLICT (modify/delete)"]);
    expect(file?.hunks).toEqual([]);
  });

  it("merges only pairs that share files and counts the rest as skipped", async () => {
    using repo = proposalRepo({ "shared.txt": lines(10), "x/y.txt": "y\n" });
    const ids = ["p0", "p1", "p2", "p3", "p4"];
    const heads = [
      repo.propose({ "own0.txt": "0\n" }),
      repo.propose({ "own1.txt": "1\n", "shared.txt": lines(10).replace("line 1\n", "one\n") }),
      repo.propose({ "own2.txt": "2\n", "shared.txt": lines(10).replace("line 9\n", "nine\n") }),
      repo.propose({ "own3.txt": "3\n" }),
      repo.propose({ "x/y.txt": "y2\n" }),
    ];
    const report = await detectConflicts(
      repo.path,
      ids.map((id, i) => ({ id, base: repo.base, head: heads[i] as string })),
    );
    expect(report).toMatchObject({ pairsTotal: 10, pairsCompared: 1, pairsSkipped: 9, conflicts: [] });
    expect(report.pairs[0]).toMatchObject({ a: "p1", b: "p2", clean: true, sharedPaths: ["shared.txt"] });
  });

  it("compares a file against a directory at the same path", async () => {
    using repo = proposalRepo({ "README.md": "r\n" });
    const one = repo.propose({ config: "a file\n" });
    const two = repo.propose({ "config/app.json": "{}\n" });
    const report = await detectConflicts(repo.path, [
      { id: "one", base: repo.base, head: one },
      { id: "two", base: repo.base, head: two },
    ]);
    expect(report.pairsCompared).toBe(1);
    expect(report.pairs[0]?.clean).toBe(false);
  });
});
