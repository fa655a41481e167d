import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstJsonValue, parsePlanReply } from "../../../../src/agents/planner/index.js";

const plan = {
  tasks: [
    {
      id: "fix-auth",
      role: "security",
      title: 'Fix {braces} and "quotes"',
      instructions: "use crypto } not Math.random",
      expectedPaths: ["src/lib/auth.ts"],
      dependsOn: [],
    },
  ],
};
const json = JSON.stringify(plan);

describe("parsePlanReply", () => {
  it.each([
    ["bare JSON", json],
    ["a fenced block with prose around it", `Here is the plan:\n\`\`\`json\n${json}\n\`\`\`\nGood luck!`],
    ["an unlabelled fence", `\`\`\`\n${JSON.stringify(plan, null, 2)}\n\`\`\``],
    ["prose before and after", `Sure. ${json} Let me know.`],
    ["a bare array of tasks", JSON.stringify(plan.tasks)],
  ])("reads %s", (_name, text) => {
    const parsed = parsePlanReply(text);
    expect(parsed).toEqual({ ok: true, draft: plan });
  });

  it("fills defaults a model left out", () => {
    const parsed = parsePlanReply('{"tasks":[{"id":"a","role":"docs","title":"t"}]}');
    expect(parsed).toEqual({
      ok: true,
      draft: {
        tasks: [{ id: "a", role: "docs", title: "t", instructions: "", expectedPaths: [], dependsOn: [] }],
      },
    });
  });

  it.each([
    ["no JSON at all", "I cannot help with that.", "holds no JSON object"],
    ["truncated JSON", json.slice(0, 40), "holds no JSON object"],
    ["JSON that does not parse", '{"tasks": [1, 2,]}', "does not parse"],
    ["the wrong shape", '{"steps": []}', "tasks: "],
    ["a task without a role", '{"tasks":[{"id":"a","title":"t"}]}', "tasks.0.role"],
    ["too many tasks", JSON.stringify({ tasks: Array.from({ length: 201 }, () => plan.tasks[0]) }), "tasks"],
  ])("refuses %s with the reason", (_name, text, reason) => {
    const parsed = parsePlanReply(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const parsed = parsePlanReply(text);
        expect(typeof parsed.ok).toBe("boolean");
      }),
    );
  });

  it("finds a valid plan in any surrounding prose that holds no brace", () => {
    const prose = fc.string({ maxLength: 40 }).filter((s) => !/[{}[\]`]/.test(s));
    fc.assert(
      fc.property(prose, prose, (before, after) => {
        expect(parsePlanReply(`${before}${json}${after}`)).toEqual({ ok: true, draft: plan });
      }),
    );
  });
});

describe("firstJsonValue", () => {
  it("respects strings and escapes", () => {
    expect(firstJsonValue('x {"a": "}\\"{", "b": [1]} y {"c": 2}')).toBe('{"a": "}\\"{", "b": [1]}');
  });

  it("gives up on mismatched brackets", () => {
    expect(firstJsonValue('{"a": [1}')).toBeUndefined();
  });
});
