// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are TypeScript source text with template literals
import { symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runSkill } from "../../../../src/agents/skills/index.js";
import { writeFiles } from "../../../helpers/git-repo.js";
import { tempDir } from "../../../helpers/temp-dir.js";
import { runCommand } from "./demo-app.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

const FIXTURE = {
  "src/text.ts": [
    "export interface Box { label: string; size: number; open: boolean }",
    "export function describe(box: Box): string {",
    "  return `${box.label}:${box.size}:${box.open ? 'open' : 'shut'}`;",
    "}",
    "export function ratio(a: number, b: number): number {",
    "  return a / b;",
    "}",
    "export const firstWord = (s: string): string | undefined => s.trim().split(/\\s+/)[0] || undefined;",
    "export function strict(mode: 'a' | 'b', items: string[]): { mode: string; count: number } {",
    "  if (items.length === 0) throw new RangeError(`no items for ${mode}`);",
    "  return { mode, count: items.length };",
    "}",
    "export async function later(): Promise<number> { return 1; }",
    "export function stamp(): number { return Date.now(); }",
    "let counter = 0;",
    "export function next(): number { return ++counter; }",
    "export function apply(f: (n: number) => number): number { return f(1); }",
    "",
  ].join("\n"),
  "src/boot.ts": 'export function hello(): string { return "hi"; }\nconsole.log(hello());\n',
  "src/io.ts":
    'import { readFileSync } from "node:fs";\nexport const read = (p: string) => readFileSync(p, "utf8");\n',
};

describe("tests skill", () => {
  it("records outputs, errors and infinities of pure functions, and the generated tests pass", async () => {
    using dir = tempDir();
    writeFiles(dir.path, FIXTURE);
    const report = await runSkill("tests", dir.path);
    expect(report.changes.map((c) => c.path)).toEqual(["test/characterization/text.test.ts"]);
    const content = report.changes[0]?.content ?? "";
    expect(content).toContain('import { describe, firstWord, ratio, strict } from "../../src/text.js";');
    expect(content).toContain(
      'assert.deepEqual(describe({"label":"Hello World","size":1,"open":false}), "Hello World:1:shut");',
    );
    expect(content).toContain("assert.deepEqual(ratio(0, 1), 0);");
    expect(content).toContain('assert.deepEqual(firstWord(""), undefined);');
    expect(content).toContain('assert.throws(() => strict("b", []), { message: "no items for b" });');
    expect(content).toContain(
      'assert.deepEqual(strict("a", ["","Hello World","  a-b_c 42 "]), { "mode": "a", "count": 3 });',
    );
    expect(content).toContain("assert.deepEqual(ratio(1999, 0), Number.POSITIVE_INFINITY);");
    expect(report.skipped).toEqual([
      {
        file: "src/boot.ts",
        reason: "module runs code when imported (line 2), so its functions are not called",
      },
      { file: "src/io.ts", reason: "module imports node:fs, so its functions are not called" },
      { file: "src/text.ts", reason: "later: it is async" },
      { file: "src/text.ts", reason: "stamp: it uses Date.now" },
      { file: "src/text.ts", reason: "next: it reads or changes module state (counter)" },
      { file: "src/text.ts", reason: "apply: no inputs can be made for f: (n: number) => number" },
    ]);

    writeFiles(dir.path, { [report.changes[0]?.path ?? ""]: content });
    const run = runCommand(dir.path, ["tsx", "--test", "test/characterization/text.test.ts"]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/# pass 4\n# fail 0/);
  });

  it("writes for the repository's runner, beside its own tests: vitest tests that vitest runs and passes", async () => {
    using dir = tempDir();
    writeFiles(dir.path, {
      ...FIXTURE,
      "package.json": JSON.stringify({ scripts: { test: "vitest run" }, devDependencies: { vitest: "^3" } }),
      "tests/unit/existing.spec.ts":
        'import { expect, it } from "vitest";\nit("is", () => expect(1).toBe(1));\n',
    });
    const report = await runSkill("tests", dir.path);
    expect(report.changes.map((c) => c.path)).toEqual(["tests/unit/text.characterization.spec.ts"]);
    const content = report.changes[0]?.content ?? "";
    expect(content).toContain('import { expect, it } from "vitest";');
    expect(content).toContain('import { describe, firstWord, ratio, strict } from "../../src/text";');
    expect(content).toContain("expect(ratio(0, 1)).toEqual(0);");
    expect(content).toContain('expect(() => strict("b", [])).toThrow("no items for b");');
    expect(content).not.toContain("node:test");
    writeFiles(dir.path, { [report.changes[0]?.path ?? ""]: content });
    symlinkSync(join(ROOT, "node_modules"), join(dir.path, "node_modules"), "dir");
    const run = runCommand(dir.path, [
      "vitest",
      "run",
      "--root",
      dir.path,
      "tests/unit/text.characterization.spec.ts",
    ]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/4 passed/);
  });

  it("writes jest tests with the globals import the repository's own tests use", async () => {
    using dir = tempDir();
    writeFiles(dir.path, {
      ...FIXTURE,
      "package.json": JSON.stringify({ scripts: { test: "jest" }, devDependencies: { jest: "^30" } }),
      "src/__tests__/index.spec.ts": 'import { describe, it, expect } from "@jest/globals";\n',
      // A tag-or-string parameter, a rest parameter, a default export and a literal the code keys on.
      "src/tag.ts": [
        "export function tag(t: string | TemplateStringsArray, ...values: unknown[]): string {",
        "  const s = typeof t === 'string' ? t : t.join('');",
        "  return s.startsWith('&amp;') ? 'entity' : s.trim();",
        "}",
        "export default tag;",
        "",
      ].join("\n"),
    });
    const report = await runSkill("tests", dir.path);
    expect(report.changes.map((c) => c.path)).toEqual([
      "src/__tests__/tag.characterization.spec.ts",
      "src/__tests__/text.characterization.spec.ts",
    ]);
    const tag = report.changes[0]?.content ?? "";
    expect(tag).toContain('import { tag } from "../tag";');
    expect(tag).toContain('expect(tag("&amp;")).toEqual("entity");');
    report.changes.shift();
    const content = report.changes[0]?.content ?? "";
    expect(content).toContain('import { expect, it } from "@jest/globals";');
    expect(content).toContain('from "../text";');
    expect(content).toContain('it("ratio keeps its current behaviour", () => {');
  });
});
