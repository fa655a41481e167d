import { describe, expect, it } from "vitest";
import { extractJsonObject, parseVerdict } from "../../../../src/agents/arbiter/index.js";
import { COMBINED, conflictRequest } from "./conflict-fixture.js";

const request = conflictRequest();

describe("extractJsonObject", () => {
  it("reads an object wrapped in prose and a fenced json block", () => {
    const text = 'Here is my verdict:\n```json\n{"decision":"pick","winner":"t-security"}\n```\nThanks.';
    expect(extractJsonObject(text)).toEqual({ decision: "pick", winner: "t-security" });
  });

  it("keeps braces and fences inside strings, and skips braces in prose before the object", () => {
    const content = "function f() {\n  return '}';\n}\n```\n";
    const text = `Use {braces} carefully. ${JSON.stringify({ decision: "combine", files: [{ path: "a", content }] })}`;
    expect(extractJsonObject(text)).toEqual({ decision: "combine", files: [{ path: "a", content }] });
  });

  it("reads past an unbalanced brace in prose", () => {
    expect(extractJsonObject('I choose {ours, then: {"decision":"pick"}')).toEqual({ decision: "pick" });
  });

  it("finds nothing in text without an object, an array, or an unclosed object", () => {
    expect(extractJsonObject("I pick the security side.")).toBeUndefined();
    expect(extractJsonObject('["pick"]')).toBeUndefined();
    expect(extractJsonObject('{"decision": "pick", "winner": ')).toBeUndefined();
    expect(extractJsonObject("{".repeat(100_000))).toBeUndefined();
  });
});

describe("parseVerdict", () => {
  it("accepts a pick of one side and a combine of exactly the conflicting files", () => {
    const pick = parseVerdict(
      '{"decision":"pick","winner":"t-frontend","rationale":"locale matters"}',
      request,
    );
    expect(pick).toEqual({
      ok: true,
      verdict: { decision: "pick", winner: "t-frontend", rationale: "locale matters" },
    });
    const combine = parseVerdict(
      JSON.stringify({
        decision: "combine",
        files: [{ path: "src/greet.ts", content: COMBINED }],
        rationale: "both",
      }),
      request,
    );
    expect(combine.ok && combine.verdict.decision === "combine" && combine.verdict.files[0]?.content).toBe(
      COMBINED,
    );
  });

  it("refuses a winner that is neither side", () => {
    const parsed = parseVerdict('{"decision":"pick","winner":"t-docs","rationale":"docs"}', request);
    expect(parsed).toEqual({
      ok: false,
      errors: ['winner "t-docs" is neither side; pick one of t-security, t-frontend'],
    });
  });

  it("refuses a combine writing outside the conflict, twice, or leaving a conflicting file out", () => {
    const outside = parseVerdict(
      JSON.stringify({
        decision: "combine",
        files: [
          { path: "src/greet.ts", content: COMBINED },
          { path: ".github/workflows/ci.yml", content: "on: push" },
        ],
        rationale: "also fix CI",
      }),
      request,
    );
    expect(outside.ok ? [] : outside.errors).toEqual([
      'combine may only write the conflicting files; refused ".github/workflows/ci.yml"',
    ]);
    const twice = parseVerdict(
      JSON.stringify({
        decision: "combine",
        files: [
          { path: "src/greet.ts", content: COMBINED },
          { path: "src/greet.ts", content: "" },
        ],
        rationale: "x",
      }),
      request,
    );
    expect(twice.ok ? [] : twice.errors).toEqual(["combine writes src/greet.ts twice"]);
    const multi = conflictRequest();
    multi.files.push("src/other.ts");
    const missing = parseVerdict(
      JSON.stringify({
        decision: "combine",
        files: [{ path: "src/greet.ts", content: COMBINED }],
        rationale: "x",
      }),
      multi,
    );
    expect(missing.ok ? [] : missing.errors).toEqual([
      "combine must give the full content of every conflicting file; missing src/other.ts",
    ]);
  });

  it("refuses unknown keys, a missing rationale and an unknown decision with the schema's reasons", () => {
    const extra = parseVerdict(
      '{"decision":"pick","winner":"t-security","rationale":"r","also":{"run":"rm -rf /"}}',
      request,
    );
    expect(extra.ok).toBe(false);
    expect(extra.ok ? [] : extra.errors.join(" ")).toMatch(/also/);
    const blank = parseVerdict('{"decision":"pick","winner":"t-security","rationale":"   "}', request);
    expect(blank.ok ? [] : blank.errors).toEqual([expect.stringMatching(/^rationale:/)]);
    const other = parseVerdict('{"decision":"merge_both","rationale":"r"}', request);
    expect(other.ok ? [] : other.errors).toEqual([expect.stringMatching(/^decision:/)]);
  });

  it("says when the reply holds no JSON object", () => {
    expect(parseVerdict("The security change is better.", request)).toEqual({
      ok: false,
      errors: ["reply holds no JSON object; send exactly one JSON object"],
    });
  });
});
