import { describe, expect, it } from "vitest";
import { casesFor } from "../../../../src/agents/skills/characterize-inputs.js";
import { toLiteral } from "../../../../src/agents/skills/characterize-runner.js";
import { characterizationPath, renderCharacterization } from "../../../../src/agents/skills/tests-render.js";

describe("characterization pieces", () => {
  it("prints values as source that evaluates back to an equal value", () => {
    const values: unknown[] = [
      undefined,
      null,
      true,
      'a"b',
      1.5,
      -0,
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      10n,
      [1, [2]],
      { a: { b: "c" } },
    ];
    for (const value of values) {
      const literal = toLiteral(value);
      expect(literal).toBeTypeOf("string");
      expect(
        Object.is(new Function(`return (${literal});`)(), value) ||
          JSON.stringify(new Function(`return (${literal});`)()) === JSON.stringify(value),
      ).toBe(true);
    }
    expect(toLiteral(-0)).toBe("-0");
    expect(toLiteral(new Date(0))).toBeUndefined();
    expect(toLiteral([() => 1])).toBeUndefined();
  });

  it("mixes samples across parameters so each case differs", () => {
    expect(casesFor([])).toEqual([[]]);
    expect(
      casesFor([
        ["x", "y"],
        [1, 2, 3],
      ]),
    ).toEqual([
      ["x", 2],
      ["y", 3],
      ["x", 1],
    ]);
  });

  it("names test files after their module and imports it relatively", () => {
    expect(characterizationPath("src/lib/pricing.ts")).toBe("test/characterization/lib-pricing.test.ts");
    const text = renderCharacterization("src/lib/pricing.ts", [
      { fn: "total", calls: [{ args: "[]", outcome: { kind: "value", literal: "0" } }] },
    ]);
    expect(text).toContain('import { total } from "../../src/lib/pricing.js";');
    expect(text).toContain("  assert.deepEqual(total([]), 0);");
  });
});
