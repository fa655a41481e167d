import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  OwnershipMatcher,
  type OwnershipRule,
  plainScanLastMatch,
  RuleIndex,
} from "../../../src/ownership/index.js";
import { GuildConfig } from "../../../src/protocol/index.js";
import { oracleOwns } from "./glob-oracle.js";

const SEGMENTS = [
  "a",
  "b",
  "ab",
  "c.js",
  "d.ts",
  "x.test.ts",
  "*",
  "**",
  "?",
  "*.js",
  "*.ts",
  "a*",
  "*b*",
  "*.test.ts",
  "?b",
];
const PATH_SEGMENTS = ["a", "b", "ab", "ba", "c.js", "d.ts", "x.test.ts", "e", "bb"];

const pattern = fc
  .record({
    anchored: fc.boolean(),
    segments: fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 4 }),
    directory: fc.boolean(),
  })
  .map(
    ({ anchored, segments, directory }) =>
      `${anchored ? "/" : ""}${segments.join("/")}${directory ? "/" : ""}`,
  );
const owners = fc.constantFrom<string[][]>([], ["@x"], ["@y"], ["@x", "@y"]);
const rules = fc
  .array(fc.record({ pattern, owners }), { minLength: 0, maxLength: 40 })
  .map((list) =>
    list.map(
      (r, index): OwnershipRule => ({ ...r, index, protect: false, file: "CODEOWNERS", line: index + 1 }),
    ),
  );
const path = fc
  .array(fc.constantFrom(...PATH_SEGMENTS), { minLength: 1, maxLength: 6 })
  .map((s) => s.join("/"));

describe("compiled matcher vs a plain last-match-wins scan", () => {
  it("finds the same deciding rule for random rule sets and paths", () => {
    fc.assert(
      fc.property(rules, fc.array(path, { minLength: 1, maxLength: 30 }), (ruleList, paths) => {
        const matcher = new OwnershipMatcher(ruleList, GuildConfig.parse({}));
        const index = new RuleIndex(matcher.rules);
        for (const p of paths) {
          const scanned = plainScanLastMatch(matcher.rules, p);
          expect(index.lastMatch(p)?.index).toBe(scanned?.index);
          expect(matcher.ownerOf(p)).toEqual(scanned?.owners ?? []);
          expect(index.allMatches(p).map((r) => r.index)).toEqual(
            matcher.rules.filter((r) => r.compiled.regex.test(p)).map((r) => r.index),
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it("matches every pattern exactly as an independent brute-force glob reading does", () => {
    fc.assert(
      fc.property(pattern, path, (p, target) => {
        const matcher = new OwnershipMatcher(
          [{ index: 0, pattern: p, owners: ["@x"], protect: false, file: "C", line: 1 }],
          GuildConfig.parse({}),
        );
        expect(matcher.ownerOf(target).length === 1).toBe(oracleOwns(p, target));
      }),
      { numRuns: 3000 },
    );
  });
});
