import { describe, expect, it } from "vitest";
import { bundleHeader, parseBundleHeader } from "../../../src/git/bundle-format.js";
import { isGuildError } from "../../../src/protocol/index.js";

const a = "a".repeat(40);
const b = "b".repeat(40);

describe("bundle headers", () => {
  it("round-trips prerequisites and refs and finds the pack", () => {
    const text = bundleHeader([a], [{ name: "refs/guild/proposals/p1", oid: b }]);
    const bytes = new TextEncoder().encode(`${text}PACK`);
    const header = parseBundleHeader(bytes);
    expect(header.prerequisites).toEqual([a]);
    expect(header.refs).toEqual([{ name: "refs/guild/proposals/p1", oid: b }]);
    expect(new TextDecoder().decode(bytes.slice(header.packOffset))).toBe("PACK");
  });

  it.each(["# v3 git bundle\n\n", "# v2 git bundle\nnot a line\n\n", "# v2 git bundle\n"])(
    "rejects %j",
    (text) => {
      let error: unknown;
      try {
        parseBundleHeader(new TextEncoder().encode(text));
      } catch (e) {
        error = e;
      }
      expect(isGuildError(error, "git.bundle_rejected")).toBe(true);
    },
  );
});
