import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generate, prng } from "../../../bench/ownership.bench.js";
import {
  covers,
  findShadowedRules,
  hasLintFindings,
  lintOwnership,
  listTrackedFiles,
  OwnershipMatcher,
  parseRules,
} from "../../../src/ownership/index.js";
import { GuildConfig } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { oracleOwns } from "./glob-oracle.js";

function matcherOf(text: string): OwnershipMatcher {
  const parsed = parseRules(text, { file: "CODEOWNERS" });
  return new OwnershipMatcher(parsed.rules, parsed.config);
}

describe("lintOwnership on a real repository", () => {
  it("finds shadowed rules, unmatched patterns, unknown owners and coverage", async () => {
    using repo = tempRepo({
      "src/api/a.ts": "",
      "src/api/b.ts": "",
      "src/web/c.tsx": "",
      "src/web/c.test.js": "",
      "vendor/lib/x.c": "",
      "vendor/lib/y.c": "",
      "vendor/z.c": "",
      "tools/gen/g.py": "",
      "README.md": "",
    });
    const matcher = matcherOf(
      [
        "/src/api/ @backend", // shadowed by /src/ below
        "*.test.js @tests", // shadowed by *.js below
        "/src/ @frontend",
        "*.js @alice",
        "/docs/ @docs", // matches no file
        "README.md @docs",
      ].join("\n"),
    );
    const report = lintOwnership(matcher, await listTrackedFiles(repo.path));
    expect(report.shadowed.map((s) => [s.rule.line, s.by.line])).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(report.unmatched.map((r) => r.pattern)).toEqual(["/docs/"]);
    expect(report.unknownOwners.map((u) => [u.owner, u.rules.map((r) => r.line)])).toEqual([["@alice", [4]]]);
    expect(report.coverage).toMatchObject({ total: 9, owned: 5, unownedTopLevelFiles: 0 });
    expect(report.coverage.percent).toBeCloseTo((5 / 9) * 100);
    expect(report.coverage.largestUnowned).toEqual([
      { folder: "vendor", files: 3 },
      { folder: "tools", files: 1 },
    ]);
    expect(hasLintFindings(report)).toBe(true);
  });

  it("reports nothing to fix for clean rules", async () => {
    using repo = tempRepo({ "src/a.ts": "", "README.md": "" });
    const report = lintOwnership(matcherOf("* @docs\n/src/ @backend\n"), await listTrackedFiles(repo.path));
    expect(hasLintFindings(report)).toBe(false);
    expect(report.coverage.percent).toBe(100);
  });
});

describe("shadowing is sound", () => {
  const SEGMENTS = ["a", "b", "c.js", "x.test.js", "*", "**", "*.js", "a*", "*.test.js"];
  const pattern = fc
    .record({
      anchored: fc.boolean(),
      segments: fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 3 }),
      directory: fc.boolean(),
    })
    .map(
      ({ anchored, segments, directory }) =>
        `${anchored ? "/" : ""}${segments.join("/")}${directory ? "/" : ""}`,
    );
  const path = fc
    .array(fc.constantFrom("a", "b", "ab", "c.js", "x.test.js", "d"), { minLength: 1, maxLength: 5 })
    .map((s) => s.join("/"));

  it("never claims a later rule covers an earlier one when some path matches only the earlier", () => {
    let claims = 0;
    fc.assert(
      fc.property(
        pattern,
        pattern,
        fc.array(path, { minLength: 20, maxLength: 20 }),
        (early, late, paths) => {
          const m = new OwnershipMatcher(
            [
              { index: 0, pattern: early, owners: ["@a"], protect: false, file: "C", line: 1 },
              { index: 1, pattern: late, owners: ["@b"], protect: false, file: "C", line: 2 },
            ],
            GuildConfig.parse({}),
          );
          const [earlier, later] = m.rules;
          if (!earlier || !later || !covers(later, earlier)) return;
          claims++;
          for (const p of paths) if (oracleOwns(early, p)) expect(oracleOwns(late, p)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
    // The property must have been exercised, not vacuously true.
    expect(claims).toBeGreaterThan(100);
  });
});

describe("findShadowedRules (indexed)", () => {
  /** The pairwise definition the index must agree with: the first later rule of the same section that covers. */
  function pairwise(matcher: OwnershipMatcher): [number, number][] {
    const rules = matcher.rules;
    return rules.flatMap((rule, i): [number, number][] => {
      const by = rules
        .slice(i + 1)
        .find((l) => (l.section ?? "") === (rule.section ?? "") && covers(l, rule));
      return by ? [[rule.index, by.index]] : [];
    });
  }

  it("reports the same rule and the same first covering rule as checking every pair", () => {
    const { text } = generate(prng(7), 1_500);
    const matcher = matcherOf(text);
    const indexed = findShadowedRules(matcher.rules).map(({ rule, by }): [number, number] => [
      rule.index,
      by.index,
    ]);
    expect(indexed.length).toBeGreaterThan(100);
    expect(indexed).toEqual(pairwise(matcher));
  });

  it("keeps GitLab sections apart", () => {
    const matcher = matcherOf("[A]\n/src/a/ @x\n[B]\n/src/ @y\n[A]\n* @z\n");
    expect(findShadowedRules(matcher.rules).map((s) => [s.rule.pattern, s.by.pattern])).toEqual([
      ["/src/a/", "*"],
    ]);
  });
});
