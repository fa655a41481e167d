import { describe, expect, it } from "vitest";
import { OwnershipMatcher, parseRules, UNOWNED } from "../../../src/ownership/index.js";

function matcherOf(text: string, file = "CODEOWNERS"): OwnershipMatcher {
  const parsed = parseRules(text, { file });
  return new OwnershipMatcher(parsed.rules, parsed.config, file);
}

// GitHub's documented example file, abridged: the last matching line wins.
const GITHUB_EXAMPLE = `
*       @global-owner1 @global-owner2
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
*.txt @octo-org/octocats
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/ @octocat
/apps/github
`;

describe("OwnershipMatcher, last match wins", () => {
  const m = matcherOf(GITHUB_EXAMPLE);
  const cases: [path: string, owners: string[]][] = [
    ["README.md", ["@global-owner1", "@global-owner2"]],
    ["src/app.js", ["@js-owner"]],
    ["main.go", ["docs@example.com"]],
    ["notes/a.txt", ["@octo-org/octocats"]],
    ["build/logs/out.log", ["@octocat"]], // `**/logs` comes later than `/build/logs/`
    ["docs/getting-started.md", ["@doctocat"]], // `/docs/` comes after `docs/*`
    ["docs/build-app/troubleshooting.md", ["@doctocat"]],
    ["scripts/deploy.sh", ["@doctocat", "@octocat"]],
    ["deeply/nested/logs/x.js", ["@octocat"]],
    ["apps/web/index.js", ["@octocat"]],
    ["apps/github/index.js", []], // a later rule with no owners makes the path unowned
  ];
  for (const [path, owners] of cases) {
    it(`${path} → ${owners.join(" ") || "unowned"}`, () => {
      expect(m.ownerOf(path)).toEqual(owners);
      expect(m.scanLastMatch(path)?.owners ?? []).toEqual(owners);
    });
  }

  it("normalizes ./, leading / and backslashes in the path asked about", () => {
    expect(m.ownerOf("./src/app.js")).toEqual(["@js-owner"]);
    expect(m.ownerOf("/src/app.js")).toEqual(["@js-owner"]);
    expect(m.ownerOf("src\\app.js")).toEqual(["@js-owner"]);
  });

  it("explains the deciding rule, its file and line, and the rules it overrode", () => {
    const e = m.explain("apps/github/index.js");
    expect(e.owners).toEqual([]);
    expect(e.rule).toMatchObject({ pattern: "/apps/github", file: "CODEOWNERS", line: 13 });
    expect(e.overridden.map((r) => [r.pattern, r.line])).toEqual([
      ["*", 2],
      ["*.js", 3],
      ["apps/", 8],
      ["/apps/", 12],
    ]);
    expect(m.explain("nothing-matches").rule?.pattern).toBe("*");
  });

  it("partitions paths by owner, with unowned ones under 'unowned'", () => {
    const groups = m.partition(["a.js", "b.js", "apps/github/x", "scripts/s.sh"]);
    expect(Object.fromEntries(groups)).toEqual({
      "@js-owner": ["a.js", "b.js"],
      [UNOWNED]: ["apps/github/x"],
      "@doctocat": ["scripts/s.sh"],
      "@octocat": ["scripts/s.sh"],
    });
  });
});

describe("roles, protection and canWrite", () => {
  const m = matcherOf(
    `rules:
  - pattern: "*"
    owners: [backend]
  - pattern: /web/
    owners: ["@org/web-team"]
  - pattern: /web/auth/
    owners: ["@security", "@alice"]
  - pattern: /infra/
    owners: [backend]
    protect: true
  - pattern: /release/
    owners: ["@human"]
roles:
  backend: {}
  frontend: {}
handles:
  "@org/web-team": frontend
protected: ["/secrets/**"]
`,
    "guild.yaml",
  );

  it("maps owners to roles through handles, role names and the role priority list", () => {
    expect(m.rolesOf("server/a.ts")).toEqual(["backend"]);
    expect(m.rolesOf("web/page.tsx")).toEqual(["frontend"]);
    // `security` is not in `roles` but is a known role via the default role priority; @alice is a person.
    expect(m.rolesOf("web/auth/login.ts")).toEqual(["security"]);
    expect(m.ownerOf("web/auth/login.ts")).toEqual(["@security", "@alice"]);
  });

  const protectedCases: [path: string, protectedPath: boolean][] = [
    ["guild.yaml", true],
    [".github/workflows/ci.yml", true],
    [".github/CODEOWNERS", true],
    ["docs/CODEOWNERS", true],
    [".ci/run.sh", true],
    ["package-lock.json", true],
    ["packages/a/pnpm-lock.yaml", true],
    ["infra/main.tf", true],
    ["release/notes.md", true],
    ["secrets/prod/key", true],
    ["server/a.ts", false],
    ["src/guild.yaml", false],
    ["web/.github-like.ts", false],
  ];
  for (const [path, expected] of protectedCases) {
    it(`${path} is ${expected ? "" : "not "}protected`, () => {
      expect(m.isProtected(path)).toBe(expected);
      expect(m.explain(path).protected).toBe(expected);
    });
  }

  it("lets a role write only what it owns and what is not protected", () => {
    expect(m.canWrite("backend", "server/a.ts")).toBe(true);
    expect(m.canWrite("frontend", "server/a.ts")).toBe(false);
    expect(m.canWrite("frontend", "web/page.tsx")).toBe(true);
    expect(m.canWrite("backend", "web/page.tsx")).toBe(false);
    expect(m.canWrite("backend", "infra/main.tf")).toBe(false);
    expect(m.canWrite("backend", "package-lock.json")).toBe(false);
  });

  it("says which rule protects a path", () => {
    expect(m.explain("infra/x").protectedBy).toMatchObject({
      pattern: "/infra/",
      file: "guild.yaml",
      line: 8,
    });
    expect(m.explain("yarn.lock").protectedBy).toMatchObject({ pattern: "yarn.lock", file: "(built-in)" });
  });
});
