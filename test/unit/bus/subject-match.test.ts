import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { subjectMatches } from "../../../src/bus/index.js";

describe("subjectMatches", () => {
  it.each([
    ["a.b.c", "a.b.c", true],
    ["a.*.c", "a.b.c", true],
    ["a.*.c", "a.b.d.c", false],
    ["a.*", "a", false],
    ["a.>", "a.b", true],
    ["a.>", "a.b.c.d", true],
    ["a.>", "a", false],
    [">", "a", true],
    ["*.*", "a.b", true],
    ["*.*", "a.b.c", false],
    ["a.b", "a.b.c", false],
  ])("%s against %s is %s", (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });

  it("matches a subject against itself, `>` and a same-length `*` pattern", () => {
    const token = fc.stringMatching(/^[a-z0-9_-]{1,6}$/);
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 6 }), (tokens) => {
        const subject = tokens.join(".");
        expect(subjectMatches(subject, subject)).toBe(true);
        expect(subjectMatches(">", subject)).toBe(true);
        expect(subjectMatches(tokens.map(() => "*").join("."), subject)).toBe(true);
        expect(subjectMatches(`${subject}.>`, subject)).toBe(false);
      }),
    );
  });
});
