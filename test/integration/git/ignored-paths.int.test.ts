import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isIgnoredPath } from "../../../src/git/index.js";
import { isGuildError } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("isIgnoredPath, from git's exit statuses", () => {
  it("answers ignored, not ignored, and tracked (never ignored)", () => {
    using repo = tempRepo({ ".gitignore": "*.log\n", "kept.log": "tracked\n", "a.ts": "a\n" });
    repo.git("add", "--force", "kept.log");
    repo.git("commit", "-q", "-m", "track a file the ignore rules match");
    expect(isIgnoredPath(repo.path, "new.log")).toBe(true);
    expect(isIgnoredPath(repo.path, "b.ts")).toBe(false);
    expect(isIgnoredPath(repo.path, "kept.log")).toBe(false);
  });

  it("ignores nothing outside any repository (check-ignore 128, rev-parse --git-dir fails too)", () => {
    using dir = tempDir("guild-norepo-");
    expect(isIgnoredPath(dir.path, "x.log")).toBe(false);
  });

  it("throws git.failed when git fails inside a repository, instead of answering not ignored", () => {
    using repo = tempRepo({ ".gitignore": "*.log\n" });
    // A broken index: check-ignore exits 128 while rev-parse still finds the repository.
    writeFileSync(join(repo.path, ".git", "index"), "not an index");
    let error: unknown;
    try {
      isIgnoredPath(repo.path, "b.ts");
    } catch (e) {
      error = e;
    }
    expect(isGuildError(error, "git.failed")).toBe(true);
    expect(isGuildError(error, "git.failed") && error.details?.args?.[0]).toBe("check-ignore");
  });
});
