import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOwnership, NO_RULES } from "../../../src/ownership/index.js";
import { isGuildError } from "../../../src/protocol/index.js";
import { writeFiles } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("loadOwnership", () => {
  it("prefers guild.yaml, then .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS", async () => {
    using dir = tempDir();
    writeFiles(dir.path, { "docs/CODEOWNERS": "* @docs\n" });
    expect((await loadOwnership({ repoDir: dir.path })).source).toBe("docs/CODEOWNERS");
    writeFiles(dir.path, { CODEOWNERS: "* @root\n" });
    expect((await loadOwnership({ repoDir: dir.path })).source).toBe("CODEOWNERS");
    writeFiles(dir.path, { ".github/CODEOWNERS": "* @github\n" });
    const fromGithub = await loadOwnership({ repoDir: dir.path });
    expect(fromGithub.source).toBe(".github/CODEOWNERS");
    expect(fromGithub.matcher.ownerOf("x")).toEqual(["@github"]);
    expect(fromGithub.config.rules).toEqual([{ pattern: "*", owners: ["@github"], protect: false }]);
    expect(fromGithub.config.settlement).toEqual(["ownership", "priority", "revise", "human"]);
    writeFiles(dir.path, { "guild.yaml": "rules:\n  - pattern: '*'\n    owners: [backend]\n" });
    const fromYaml = await loadOwnership({ repoDir: dir.path });
    expect(fromYaml.format).toBe("guild.yaml");
    expect(fromYaml.matcher.rolesOf("x")).toEqual(["backend"]);
  });

  it("reads a named rules file of either format, by content", async () => {
    using dir = tempDir();
    writeFileSync(join(dir.path, "owners.txt"), "rules:\n  - pattern: /a/\n    owners: [docs]\n");
    const loaded = await loadOwnership({ repoDir: dir.path, rulesFile: "owners.txt" });
    expect(loaded.format).toBe("guild.yaml");
    expect(loaded.matcher.explain("a/b").rule).toMatchObject({ file: "owners.txt", line: 2 });
  });

  it("reuses the compiled rules of the same file and bytes, frozen, and reads a changed file afresh", async () => {
    using a = tempDir();
    using b = tempDir();
    const yaml = "rules:\n  - pattern: /api/\n    owners: [backend]\n";
    writeFiles(a.path, { "guild.yaml": yaml });
    writeFiles(b.path, { "guild.yaml": yaml });
    const first = await loadOwnership({ repoDir: a.path });
    // Another worktree with the same guild.yaml: the same answer, not parsed again.
    const again = await loadOwnership({ repoDir: b.path });
    expect(again).toBe(first);
    expect(Object.isFrozen(first.config.rules[0])).toBe(true);
    expect(() => {
      (first.config.roles as Record<string, unknown>).intruder = {};
    }).toThrow(TypeError);
    writeFiles(b.path, { "guild.yaml": yaml.replace("backend", "frontend") });
    const changed = await loadOwnership({ repoDir: b.path });
    expect(changed).not.toBe(first);
    expect(changed.matcher.rolesOf("api/x.ts")).toEqual(["frontend"]);
    expect(first.matcher.rolesOf("api/x.ts")).toEqual(["backend"]);
  });

  it("gives every path no owner when the repository has no rules", async () => {
    using dir = tempDir();
    const loaded = await loadOwnership({ repoDir: dir.path });
    expect(loaded.source).toBe(NO_RULES);
    expect(loaded.matcher.ownerOf("a.ts")).toEqual([]);
    expect(loaded.matcher.isProtected("package-lock.json")).toBe(true);
  });

  it("skips bad CODEOWNERS lines as GitHub does, reports every one, and keeps the rest", async () => {
    using dir = tempDir();
    writeFiles(dir.path, { CODEOWNERS: "* @a\n!x @b\n/esp/ @tobias- @org/team_x\nsrc/[ab]/ @c\n/y/ nope\n" });
    const loaded = await loadOwnership({ repoDir: dir.path });
    expect(loaded.matcher.rules.map((r) => r.pattern)).toEqual(["*", "/esp/"]);
    expect(loaded.matcher.ownerOf("esp/x.c")).toEqual(["@tobias-", "@org/team_x"]);
    expect(loaded.problems.map((p) => [p.line, p.text])).toEqual([
      [2, "!x @b"],
      [4, "src/[ab]/ @c"],
      [5, "/y/ nope"],
    ]);
    expect(loaded.problems[2]?.message).toMatch(/'nope' is not a valid owner/);
  });

  it("still fails with ownership.parse on a bad guild.yaml rule", async () => {
    using dir = tempDir();
    writeFiles(dir.path, { "guild.yaml": "rules:\n  - { pattern: '!x', owners: ['@b'] }\n" });
    const error = await loadOwnership({ repoDir: dir.path }).catch((e: unknown) => e);
    expect(isGuildError(error, "ownership.parse")).toBe(true);
  });
});
