import { describe, expect, it } from "vitest";
import { runSkill } from "../../../../src/agents/skills/index.js";
import { writeFiles } from "../../../helpers/git-repo.js";
import { tempDir } from "../../../helpers/temp-dir.js";

const FILES = {
  "src/math/add.ts": [
    "/**",
    " * Adds two numbers.",
    " * @param a - the first",
    " * @param b - the second",
    " * @returns their sum",
    " * @example add(1, 2) // 3",
    " */",
    "export function add(a: number, b = 0): number {",
    "  return a + b;",
    "}",
    "export const double = (n: number) => n * 2;",
    "",
  ].join("\n"),
  "src/model.ts": [
    "/** A user. */",
    "export interface User { id: number; name: string }",
    "export type Role = 'admin' | 'user';",
    "/** Keeps users. */",
    "export class Store {",
    "  add(user: User): void {}",
    "  private secret(): void {}",
    "}",
    'export const API_TOKEN = "abc";',
    "export enum Color { Red, Green }",
    "",
  ].join("\n"),
  "src/index.ts": 'export { add } from "./math/add.js";\n',
  "src/model.test.ts": "export const ignored = 1;\n",
};

describe("docs skill", () => {
  it("writes docs/API.md with every exported symbol, grouped by module, deterministically", async () => {
    using dir = tempDir();
    writeFiles(dir.path, FILES);
    const report = await runSkill("docs", dir.path);
    expect(report.changes.map((c) => c.path)).toEqual(["docs/API.md"]);
    const doc = report.changes[0]?.content ?? "";
    for (const name of ["add", "double", "User", "Role", "Store", "API_TOKEN", "Color"]) {
      expect(doc).toContain(`### \`${name}\``);
    }
    expect(doc).not.toContain("ignored");
    expect(doc).not.toContain('"abc"');
    expect(doc.indexOf("## `src/math/add.ts`")).toBeLessThan(doc.indexOf("## `src/model.ts`"));
    expect(doc).toContain("function add(a: number, b?: number): number");
    expect(doc).toContain("| `a` | `number` | the first |");
    expect(doc).toContain("**Returns** `number` — their sum");
    expect(doc).toContain("```ts\nadd(1, 2) // 3\n```");
    expect(doc).toContain("class Store {\n  add(user: User): void\n}");
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.message}`)).toEqual([
      "src/math/add.ts:11:exported function double has no JSDoc",
      "src/model.ts:3:exported type Role has no JSDoc",
      "src/model.ts:9:exported const API_TOKEN has no JSDoc",
      "src/model.ts:10:exported enum Color has no JSDoc",
    ]);
    expect(report.skipped).toEqual([
      { file: "src/index.ts", reason: "add is re-exported; it is documented with its own module" },
    ]);
    expect((await runSkill("docs", dir.path)).changes[0]?.content).toBe(doc);
  });

  it("proposes no change when docs/API.md is up to date", async () => {
    using dir = tempDir();
    writeFiles(dir.path, FILES);
    const first = await runSkill("docs", dir.path);
    writeFiles(dir.path, { "docs/API.md": first.changes[0]?.content ?? "" });
    const again = await runSkill("docs", dir.path);
    expect(again.changes).toEqual([]);
    expect(again.upToDate).toMatch(/^docs\/API.md already documents all \d+ exported symbols$/);
  });
});
