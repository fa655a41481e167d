import { describe, expect, it } from "vitest";
import { dropPaths, mergeIntoIntegration, proposalDiff, trialMerge } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

function commitOn(
  repo: ReturnType<typeof tempRepo>,
  branch: string,
  files: Record<string, string>,
  remove: string[] = [],
) {
  repo.git("checkout", "-q", "-B", branch, "main");
  repo.write(files);
  for (const f of remove) repo.git("rm", "-q", f);
  repo.git("add", "-A");
  repo.git("commit", "-q", "-m", branch);
  const head = repo.head();
  repo.git("checkout", "-q", "main");
  return head;
}

describe("proposal diffs and dropped paths", () => {
  it("drops foreign paths from a proposal: modified ones return to base, added ones vanish, deleted ones come back", async () => {
    using repo = tempRepo({ "own/a.txt": "a\n", "foreign/b.txt": "b\n", "foreign/gone.txt": "g\n" });
    const base = repo.head();
    const head = commitOn(
      repo,
      "p",
      { "own/a.txt": "a2\n", "foreign/b.txt": "b2\n", "foreign/new.txt": "n\n" },
      ["foreign/gone.txt"],
    );
    const kept = await dropPaths(repo.path, {
      base,
      head,
      paths: ["foreign/b.txt", "foreign/new.txt", "foreign/gone.txt"],
      message: "guild: drop changes outside ownership",
    });
    expect(repo.git("diff", "--name-only", base, kept)).toBe("own/a.txt");
    expect(repo.git("show", `${kept}:foreign/gone.txt`)).toBe("g");
    expect(repo.git("rev-parse", `${kept}^`)).toBe(head);
    expect(repo.git("status", "--porcelain")).toBe("");
    const diff = await proposalDiff(repo.path, base, head, { paths: ["foreign/b.txt"] });
    expect(diff).toContain("-b\n+b2");
    expect(diff).not.toContain("own/a.txt");
  });

  it("trial merges move no ref; a rebuild from scratch leaves out a withdrawn proposal", async () => {
    using repo = tempRepo({ "x.txt": "x\n", "y.txt": "y\n" });
    const base = repo.head();
    const one = commitOn(repo, "one", { "x.txt": "x1\n" });
    const two = commitOn(repo, "two", { "y.txt": "y1\n" });
    const entry = (id: string, head: string) => ({ id, head, taskId: id, role: "r", decision: "ok" });
    const first = await mergeIntoIntegration(repo.path, {
      goalId: "g1",
      base,
      entries: [entry("one", one), entry("two", two)],
    });
    expect(first.merged).toEqual(["one", "two"]);
    const trial = await trialMerge(repo.path, { base, entries: [entry("one", one)] });
    expect(repo.git("rev-parse", first.branch)).toBe(first.head);
    expect(repo.git("show", `${trial.head}:y.txt`)).toBe("y");
    const rebuilt = await mergeIntoIntegration(repo.path, {
      goalId: "g1",
      base,
      entries: [entry("two", two)],
      fromScratch: true,
    });
    expect(repo.git("rev-parse", rebuilt.branch)).toBe(rebuilt.head);
    expect(repo.git("show", `${rebuilt.head}:x.txt`)).toBe("x");
    expect(repo.git("show", `${rebuilt.head}:y.txt`)).toBe("y1");
  });
});
