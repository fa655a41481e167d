import { describe, expect, it } from "vitest";
import { packContext } from "../../../../src/agents/brains/context-pack.js";
import { tempRepo } from "../../../helpers/git-repo.js";

const BIG = Array.from(
  { length: 30 },
  (_, i) => `export function helper${i}(x: number): number {\n  const y = x * ${i};\n  return y + ${i};\n}\n`,
).join("\n");

describe("packContext", () => {
  it("sends outlines plus the bodies the task names, and counts the tokens saved", () => {
    using repo = tempRepo({ "src/big.ts": BIG, "notes.md": "small note\n", "src/link-target.ts": "x" });
    const pack = packContext(
      repo.path,
      ["src/big.ts", "notes.md", "src/missing.ts", "../outside"],
      "Fix helper7 please",
    );
    expect(pack.files).toBe(2);
    expect(pack.text).toContain("L36-39 export function helper7(x: number): number");
    expect(pack.text).toContain(
      "// helper7 (L36-39)\nexport function helper7(x: number): number {\n  const y = x * 7;",
    );
    expect(pack.text).not.toContain("x * 8");
    expect(pack.text).toContain("small note");
    expect(pack.text).toContain("<<<UNTRUSTED REPOSITORY DATA outline=src/big.ts");
    expect(pack.savedTokens).toBeGreaterThan(0);
    expect(pack.savedTokens).toBe(pack.wholeTokens - pack.packedTokens);
  });
});
