import { describe, expect, it } from "vitest";
import {
  execFileRunner,
  GitSpawner,
  gitRunner,
  resolveCommit,
  setGitRunner,
} from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

describe("the git runner", () => {
  it("runs git with execFile by default, starting no helper process at import", async () => {
    using repo = tempRepo({ "a.txt": "a\n" });
    expect(gitRunner()).toBe(execFileRunner);
    expect(await resolveCommit(repo.path, "HEAD")).toBe(repo.head());
  });

  it("runs every git process through the runner set, such as the helper process guild up uses", async () => {
    using repo = tempRepo({ "a.txt": "a\n" });
    const spawner = new GitSpawner();
    const previous = setGitRunner(spawner);
    try {
      expect(spawner.pid).toBeUndefined();
      expect(await resolveCommit(repo.path, "HEAD")).toBe(repo.head());
      expect(spawner.pid).toBeGreaterThan(0);
      expect((await spawner.usage())?.cpuMs).toBeGreaterThan(0);
    } finally {
      setGitRunner(previous);
      spawner.close();
    }
  });
});
