import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveInWorktree } from "../../../../src/agents/tools/index.js";
import { isGuildError } from "../../../../src/protocol/index.js";
import { tempRepo } from "../../../helpers/git-repo.js";
import { tempDir } from "../../../helpers/temp-dir.js";

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isGuildError(e, "sandbox.denied")) return e.message;
    throw e;
  }
  throw new Error("expected sandbox.denied");
}

describe("resolveInWorktree", () => {
  it("resolves relative paths, existing or new, to their real location", () => {
    using repo = tempRepo({ "src/a.ts": "export const a = 1;\n" });
    const existing = resolveInWorktree(repo.path, "src/./a.ts", { forWrite: false });
    expect(existing.rel).toBe("src/a.ts");
    const fresh = resolveInWorktree(repo.path, "src/new/deep/b.ts", { forWrite: true });
    expect(fresh.rel).toBe("src/new/deep/b.ts");
    expect(fresh.abs.endsWith(join("src", "new", "deep", "b.ts"))).toBe(true);
  });

  it("refuses paths that climb out, absolute paths and .git in any case", () => {
    using repo = tempRepo();
    expect(reasonOf(() => resolveInWorktree(repo.path, "../../outside", { forWrite: true }))).toMatch(
      /leaves/,
    );
    expect(reasonOf(() => resolveInWorktree(repo.path, "src/../../x", { forWrite: false }))).toMatch(
      /leaves/,
    );
    expect(reasonOf(() => resolveInWorktree(repo.path, "/etc/passwd", { forWrite: false }))).toMatch(
      /absolute/,
    );
    expect(reasonOf(() => resolveInWorktree(repo.path, ".git/hooks/pre-commit", { forWrite: true }))).toMatch(
      /\.git/,
    );
    expect(reasonOf(() => resolveInWorktree(repo.path, "sub/.GIT/config", { forWrite: true }))).toMatch(
      /\.git/,
    );
    expect(reasonOf(() => resolveInWorktree(repo.path, "", { forWrite: false }))).toMatch(/empty/);
  });

  it("follows symlinks and refuses those that lead outside or into .git", () => {
    using repo = tempRepo();
    using outside = tempDir();
    symlinkSync(outside.path, join(repo.path, "escape"));
    symlinkSync(join(repo.path, ".git"), join(repo.path, "gitlink"));
    mkdirSync(join(repo.path, "src"));
    symlinkSync(join(repo.path, "README.md"), join(repo.path, "src", "readme-link"));
    symlinkSync(join(outside.path, "nope"), join(repo.path, "dangling"));
    expect(reasonOf(() => resolveInWorktree(repo.path, "escape/x.txt", { forWrite: true }))).toMatch(
      /symlink/,
    );
    expect(reasonOf(() => resolveInWorktree(repo.path, "escape", { forWrite: false }))).toMatch(/symlink/);
    expect(reasonOf(() => resolveInWorktree(repo.path, "gitlink/hooks/x", { forWrite: true }))).toMatch(
      /\.git/,
    );
    expect(reasonOf(() => resolveInWorktree(repo.path, "dangling", { forWrite: true }))).toMatch(/symlink/);
    // Reading through an in-repo link is fine and reports the real path; writing through it is not.
    expect(resolveInWorktree(repo.path, "src/readme-link", { forWrite: false }).rel).toBe("README.md");
    expect(reasonOf(() => resolveInWorktree(repo.path, "src/readme-link", { forWrite: true }))).toMatch(
      /symlink/,
    );
  });
});
