import { describe, expect, it } from "vitest";
import { parseConflictHunks } from "../../../src/git/conflict-hunks.js";

const merged = [
  "one",
  "<<<<<<< ours",
  "two A",
  "||||||| base",
  "two",
  "=======",
  "two B",
  "two B more",
  ">>>>>>> theirs",
  "three",
  "<<<<<<< ours",
  "=======",
  "four B",
  ">>>>>>> theirs",
  "",
].join("\n");

describe("parseConflictHunks", () => {
  it("reads diff3 and merge-style blocks with line ranges in each side's file", () => {
    const hunks = parseConflictHunks(
      merged,
      "one\ntwo A\nthree\n",
      "one\ntwo B\ntwo B more\nthree\nfour B\n",
      "one\ntwo\nthree\nfour\n",
    );
    expect(hunks).toHaveLength(2);
    expect(hunks[0]).toEqual({
      merged: { start: 2, end: 9 },
      ours: { start: 2, end: 2, text: "two A\n" },
      theirs: { start: 2, end: 3, text: "two B\ntwo B more\n" },
      base: { start: 2, end: 2, text: "two\n" },
    });
    expect(hunks[1]?.merged).toEqual({ start: 11, end: 14 });
    expect(hunks[1]?.ours).toEqual({ start: 4, end: 3, text: "" });
    expect(hunks[1]?.theirs).toEqual({ start: 5, end: 5, text: "four B\n" });
    expect(hunks[1]?.base).toBeUndefined();
  });

  it("finds nothing in a file without markers", () => {
    expect(parseConflictHunks("a\nb\n", "a\n", "b\n")).toEqual([]);
  });
});
