import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { candidatePairs } from "../../../src/git/conflict-pairs.js";

describe("candidatePairs", () => {
  it("pairs proposals sharing a path, and a file with a directory at the same path", () => {
    expect(candidatePairs([["a.ts"], ["b.ts"], ["a.ts", "c.ts"], ["c.ts/x.ts"], []])).toEqual([
      [0, 2],
      [2, 3],
    ]);
  });

  it("is exactly the pairs whose path sets overlap (or nest), by brute force", () => {
    const path = fc.constantFrom("a", "b", "a/x", "a/y", "b/z", "c");
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(path, { maxLength: 4 }), { maxLength: 8 }), (sets) => {
        const nests = (p: string, q: string) => p === q || q.startsWith(`${p}/`) || p.startsWith(`${q}/`);
        const expected: [number, number][] = [];
        for (let i = 0; i < sets.length; i++) {
          for (let j = i + 1; j < sets.length; j++) {
            if ((sets[i] ?? []).some((p) => (sets[j] ?? []).some((q) => nests(p, q)))) expected.push([i, j]);
          }
        }
        expect(candidatePairs(sets)).toEqual(expected);
      }),
    );
  });
});
