import { describe, expect, it } from "vitest";
import { inScope, listFiles, matchesPattern } from "../../../../src/agents/skills/path-scope.js";
import { writeFiles } from "../../../helpers/git-repo.js";
import { tempDir } from "../../../helpers/temp-dir.js";

describe("matchesPattern", () => {
  it("treats globs as globs and plain paths as prefixes", () => {
    expect(matchesPattern("src/lib/auth.ts", "src/**")).toBe(true);
    expect(matchesPattern("src/lib/auth.ts", "src/*.ts")).toBe(false);
    expect(matchesPattern("src/lib/auth.ts", "src/**/*.ts")).toBe(true);
    expect(matchesPattern("src/auth.ts", "src/**/*.ts")).toBe(true);
    expect(matchesPattern("src/lib/auth.ts", "src/lib")).toBe(true);
    expect(matchesPattern("src/library.ts", "src/lib")).toBe(false);
    expect(matchesPattern("docs/guide/intro.md", "*.md")).toBe(true);
    expect(matchesPattern("public/index.html", "./public/")).toBe(true);
  });

  it("puts everything in scope when no patterns are given", () => {
    expect(inScope("anything/at/all.ts", undefined)).toBe(true);
    expect(inScope("anything/at/all.ts", [])).toBe(true);
    expect(inScope("src/a.ts", ["test/**", "docs"])).toBe(false);
  });
});

describe("listFiles", () => {
  it("lists files sorted, skipping .git and node_modules", () => {
    using dir = tempDir();
    writeFiles(dir.path, {
      "src/b.ts": "",
      "src/a.ts": "",
      "node_modules/x/index.js": "",
      ".git/HEAD": "",
      "README.md": "",
    });
    expect(listFiles(dir.path)).toEqual(["README.md", "src/a.ts", "src/b.ts"]);
    expect(listFiles(dir.path, (p) => p.endsWith(".ts"))).toEqual(["src/a.ts", "src/b.ts"]);
  });
});
