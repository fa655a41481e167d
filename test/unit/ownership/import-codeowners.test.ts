import { describe, expect, it } from "vitest";
import {
  importCodeowners,
  loadGuildConfig,
  OwnershipMatcher,
  parseCodeowners,
  withRules,
} from "../../../src/ownership/index.js";
import { GuildConfig } from "../../../src/protocol/index.js";

const CODEOWNERS = `* @org/core
/web/ @org/web-team @bob
/web/auth/ @security
/release/ @human
/apps/github
`;

describe("importCodeowners", () => {
  const config = GuildConfig.parse({
    roles: { backend: {}, frontend: {} },
    handles: { "@org/web-team": "frontend", "@org/core": "backend" },
  });
  const imported = importCodeowners(parseCodeowners(CODEOWNERS, ".github/CODEOWNERS"), config);

  it("maps handles to roles and keeps what it cannot map, saying so", () => {
    expect(imported.rules).toEqual([
      { pattern: "*", owners: ["backend"], protect: false },
      { pattern: "/web/", owners: ["frontend", "@bob"], protect: false },
      { pattern: "/web/auth/", owners: ["security"], protect: false },
      { pattern: "/release/", owners: ["@human"], protect: false },
      { pattern: "/apps/github", owners: [], protect: false },
    ]);
    expect(imported.unmapped).toEqual([{ owner: "@bob", lines: [2] }]);
  });

  it("writes guild.yaml rules that own every path as the CODEOWNERS file did", () => {
    const existing =
      '# my guild\nversion: 1\nroles:\n  backend: {}\n  frontend: {}\nhandles:\n  "@org/web-team": frontend\n  "@org/core": backend\nrules: []\n';
    const text = withRules(existing, imported.rules);
    expect(text).toContain("# my guild");
    const loaded = loadGuildConfig(text, "guild.yaml");
    const fromYaml = new OwnershipMatcher(loaded.rules, loaded.config);
    const fromCodeowners = new OwnershipMatcher(parseCodeowners(CODEOWNERS, "CODEOWNERS"), config);
    for (const path of [
      "a.ts",
      "web/x.tsx",
      "web/auth/login.ts",
      "release/notes",
      "apps/github/x",
      "apps/y",
    ]) {
      expect(fromYaml.rolesOf(path)).toEqual(fromCodeowners.rolesOf(path));
      expect(fromYaml.isProtected(path)).toBe(fromCodeowners.isProtected(path));
    }
  });

  it("creates a new guild.yaml when there is none", () => {
    const loaded = loadGuildConfig(withRules(undefined, imported.rules), "guild.yaml");
    expect(loaded.config.version).toBe(1);
    expect(loaded.rules).toHaveLength(5);
  });
});
