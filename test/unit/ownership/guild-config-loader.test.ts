import { describe, expect, it } from "vitest";
import { loadGuildConfig, parseRules } from "../../../src/ownership/index.js";
import { type GuildError, isGuildError } from "../../../src/protocol/index.js";

const GUILD_YAML = `# guild config
version: 1
rules:
  - pattern: "*"
    owners: [backend]
  - pattern: /web/
    owners: ["@frontend"]
  - pattern: /infra/secrets/
    owners: []
    protect: true
roles:
  backend:
    charter: APIs and data
    brain: { kind: openai, model: gpt-5 }
    replicas: 2
  frontend:
    charter: the UI
rolePriority: [backend, frontend]
settlement: [ownership, priority, human]
testCommand: [npm, test]
handles:
  "@org/web-team": frontend
`;

function thrown(text: string): GuildError<"config.invalid" | "ownership.parse"> {
  try {
    loadGuildConfig(text, "guild.yaml");
  } catch (e) {
    if (isGuildError(e, "config.invalid") || isGuildError(e, "ownership.parse")) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe("loadGuildConfig", () => {
  it("validates the whole config and returns rules with their lines", () => {
    const { config, rules } = loadGuildConfig(GUILD_YAML, "guild.yaml");
    expect(config.roles.backend?.replicas).toBe(2);
    expect(config.roles.frontend?.brain).toEqual({ kind: "offline" });
    expect(config.settlement).toEqual(["ownership", "priority", "human"]);
    expect(config.testCommand).toEqual(["npm", "test"]);
    expect(config.handles).toEqual({ "@org/web-team": "frontend" });
    expect(rules.map((r) => [r.pattern, r.owners, r.protect, r.line])).toEqual([
      ["*", ["backend"], false, 4],
      ["/web/", ["@frontend"], false, 6],
      ["/infra/secrets/", [], true, 8],
    ]);
  });

  it("is detected by content, not by file name", () => {
    expect(parseRules(GUILD_YAML, { file: "rules.txt" }).format).toBe("guild.yaml");
    expect(parseRules("# c\n/docs/ @docs\n", { file: "guild.yaml" }).format).toBe("codeowners");
  });

  it("points a schema error at the offending key", () => {
    const error = thrown("rules:\n  - pattern: a/\n    owners: [x]\n    protect: yes-please\n");
    expect(error.code).toBe("config.invalid");
    expect(error.details).toMatchObject({
      file: "guild.yaml",
      line: 4,
      column: 14,
      text: "    protect: yes-please",
    });
    expect(String(error.details?.expected)).toMatch(/boolean/);
  });

  it("points an unknown key at itself", () => {
    const error = thrown("version: 1\nsettlment: [human]\n");
    expect(error.details).toMatchObject({ line: 2, column: 1 });
    expect(error.message).toMatch(/settlment/);
  });

  it("reports YAML syntax errors with a position", () => {
    const error = thrown("rules:\n  - pattern: [unclosed\n");
    expect(error.code).toBe("config.invalid");
    expect(typeof error.details?.line).toBe("number");
  });

  it("points a bad pattern at the offending character", () => {
    const error = thrown('rules:\n  - pattern: "src/[ab]/"\n    owners: [web]\n');
    expect(error.code).toBe("ownership.parse");
    expect(error.details).toMatchObject({ line: 2, column: 19 });
    expect(error.details?.text).toBe('  - pattern: "src/[ab]/"');
  });

  it("rejects an owner that is neither a handle, an email nor a role name", () => {
    const error = thrown("rules:\n  - pattern: a/\n    owners: [web, 'bad owner']\n");
    expect(error.code).toBe("ownership.parse");
    expect(error.details).toMatchObject({ line: 3, column: 19 });
  });
});
