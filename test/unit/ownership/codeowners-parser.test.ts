import { describe, expect, it } from "vitest";
import { parseCodeowners } from "../../../src/ownership/index.js";
import { type GuildError, isGuildError } from "../../../src/protocol/index.js";

function parseError(text: string): GuildError<"ownership.parse"> {
  try {
    parseCodeowners(text, "CODEOWNERS");
  } catch (e) {
    if (isGuildError(e, "ownership.parse")) return e;
    throw e;
  }
  throw new Error("expected a parse error");
}

describe("parseCodeowners", () => {
  it("reads patterns, owners of every kind, comments, inline comments and blank lines", () => {
    const rules = parseCodeowners(
      [
        "# global owners",
        "*       @global-owner1 @global-owner2",
        "",
        "*.js    @js-owner #This is an inline comment.",
        "*.go docs@example.com",
        "/build/logs/ @org/build-team",
        "   indented/   @security",
        "\\#hash @hash",
        "/path\\ with\\ spaces/ @spaces",
        "/apps/github",
      ].join("\n"),
      "CODEOWNERS",
    );
    expect(rules.map((r) => [r.pattern, r.owners, r.line])).toEqual([
      ["*", ["@global-owner1", "@global-owner2"], 2],
      ["*.js", ["@js-owner"], 4],
      ["*.go", ["docs@example.com"], 5],
      ["/build/logs/", ["@org/build-team"], 6],
      ["indented/", ["@security"], 7],
      ["\\#hash", ["@hash"], 8],
      ["/path\\ with\\ spaces/", ["@spaces"], 9],
      ["/apps/github", [], 10],
    ]);
    expect(rules.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rules.every((r) => r.file === "CODEOWNERS" && !r.protect)).toBe(true);
  });

  it("reads GitLab sections, with default owners for rules that name none", () => {
    const rules = parseCodeowners(
      ["[Docs] @docs-team", "*.md", "README.md @alice", "^[Optional][2] @sec", "/auth/"].join("\n"),
      "CODEOWNERS",
    );
    expect(rules.map((r) => [r.pattern, r.owners, r.section])).toEqual([
      ["*.md", ["@docs-team"], "Docs"],
      ["README.md", ["@alice"], "Docs"],
      ["/auth/", ["@sec"], "Optional"],
    ]);
  });

  it("handles CRLF line endings", () => {
    expect(parseCodeowners("a/ @x\r\nb/ @y\r\n", "C").map((r) => r.owners)).toEqual([["@x"], ["@y"]]);
  });

  const errors: [name: string, text: string, line: number, column: number, expected: RegExp][] = [
    ["a negation", "*.js @web\n!vendor/ @web\n", 2, 1, /without '!'/],
    ["a character range", "src/[ab]/ @web\n", 1, 5, /literal '\\\[' or/],
    [
      "an owner that is not a handle or email",
      "/docs/ @docs not-an-owner\n",
      1,
      14,
      /@role, @user, @org\/team or an email/,
    ],
    ["a malformed section", "[Docs @docs\n", 1, 1, /\[Section name\]/],
    ["an empty segment", "\n\n  a//b @x\n", 3, 5, /one '\/' between names/],
  ];
  for (const [name, text, line, column, expected] of errors) {
    it(`rejects ${name} with file, line, column, text and what was expected`, () => {
      const error = parseError(text);
      expect(error.details).toMatchObject({ file: "CODEOWNERS", line, column });
      expect(error.details?.text).toBe(text.split("\n")[line - 1]);
      expect(String(error.details?.expected)).toMatch(expected);
      expect(error.message).toMatch(new RegExp(`^CODEOWNERS:${line}:${column}: `));
    });
  }
});
