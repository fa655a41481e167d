import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  findShadowedRules,
  OwnershipMatcher,
  type OwnershipRule,
  parseRules,
  plainScanLastMatch,
} from "../../../src/ownership/index.js";
import { GuildConfig } from "../../../src/protocol/index.js";

// GitLab: last match wins within a section; a path's owners combine the winners of every section.
const SECTIONED = `* @default
[Docs] @docs-team
*.md
/internal/*.md @alice
[Security]
/auth/ @security
*.md @sec-reviewers
[docs]
/README.md @bob
`;

describe("GitLab sections", () => {
  const parsed = parseRules(SECTIONED, { file: "CODEOWNERS" });
  const m = new OwnershipMatcher(parsed.rules, parsed.config);

  it("combines the last match of each section", () => {
    expect(m.ownerOf("src/a.ts")).toEqual(["@default"]);
    expect(m.ownerOf("guide.md")).toEqual(["@default", "@docs-team", "@sec-reviewers"]);
    expect(m.ownerOf("internal/x.md")).toEqual(["@default", "@alice", "@sec-reviewers"]);
    // `[docs]` merges into `[Docs]` (names ignore case), so /README.md wins over *.md there.
    expect(m.ownerOf("README.md")).toEqual(["@default", "@bob", "@sec-reviewers"]);
    expect(m.ownerOf("auth/login.ts")).toEqual(["@default", "@security"]);
  });

  it("explains every section's deciding rule, and the overridden ones", () => {
    const e = m.explain("internal/x.md");
    expect(e.decidedBy.map((r) => r.line)).toEqual([1, 4, 7]);
    expect(e.rule?.line).toBe(7);
    expect(e.overridden.map((r) => r.line)).toEqual([3]);
  });

  it("does not call a rule shadowed by a later rule of another section", () => {
    const shadowed = findShadowedRules(m.rules).map(({ rule, by }) => [rule.line, by.line]);
    expect(shadowed).toEqual([]);
  });

  it("agrees with a plain per-section scan for random sectioned rule sets", () => {
    const rule = fc.record({
      pattern: fc.constantFrom("*", "*.md", "/a/", "a/", "/a/*.md", "**/b", "b/*", "?.md"),
      owners: fc.constantFrom<string[]>([], ["@x"], ["@y"], ["@z"]),
      section: fc.constantFrom(undefined, "One", "two", "ONE"),
    });
    const path = fc.array(fc.constantFrom("a", "b", "c.md", "d.md", "e"), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(rule, { maxLength: 20 }),
        fc.array(path, { minLength: 1, maxLength: 10 }),
        (list, paths) => {
          const rules = list.map(
            (r, index): OwnershipRule => ({
              index,
              pattern: r.pattern,
              owners: r.owners,
              protect: false,
              file: "CODEOWNERS",
              line: index + 1,
              ...(r.section === undefined ? {} : { section: r.section }),
            }),
          );
          const matcher = new OwnershipMatcher(rules, GuildConfig.parse({}));
          const bySection = new Map<string, typeof matcher.rules>();
          for (const r of matcher.rules) {
            const key = (r.section ?? "").toLowerCase();
            bySection.set(key, [...(bySection.get(key) ?? []), r]);
          }
          for (const segments of paths) {
            const p = segments.join("/");
            const expected = new Set(
              [...bySection.values()].flatMap((g) => plainScanLastMatch(g, p)?.owners ?? []),
            );
            expect(new Set(matcher.ownerOf(p))).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
