import { describe, expect, it } from "vitest";
import { symlinkEscapeReason, unsafePathReason } from "../../../src/git/path-safety.js";

describe("unsafePathReason", () => {
  it.each(["src/a.ts", "a/b/c.txt", ".github/ci.yml", ".gitignore", "docs/.git-notes"])("accepts %s", (p) => {
    expect(unsafePathReason(p)).toBeUndefined();
  });
  it.each([
    [".git/config", "path inside .git"],
    ["sub/.GIT/hooks/pre-commit", "path inside .git"],
    [".git./x", "path inside .git"],
    ["GIT~1/config", "path inside .git"],
    ["../x", "path leaves the repository"],
    ["a//b", "path leaves the repository"],
    ["/etc/passwd", "absolute or empty path"],
    ["a\\b", "backslash in path"],
  ])("refuses %s", (p, reason) => {
    expect(unsafePathReason(p)).toBe(reason);
  });
});

describe("symlinkEscapeReason", () => {
  it("keeps links that resolve inside the tree", () => {
    expect(symlinkEscapeReason("src/readme", "../README.md")).toBeUndefined();
    expect(symlinkEscapeReason("a/b/c", "../d")).toBeUndefined();
  });
  it("refuses absolute, escaping and .git targets", () => {
    expect(symlinkEscapeReason("link", "/etc/passwd")).toBe("symlink target is absolute");
    expect(symlinkEscapeReason("src/link", "../../outside")).toBe("symlink points outside the repository");
    expect(symlinkEscapeReason("link", "..")).toBe("symlink points outside the repository");
    expect(symlinkEscapeReason("src/hooks", "../.git/hooks")).toBe("symlink points into .git");
  });
});
