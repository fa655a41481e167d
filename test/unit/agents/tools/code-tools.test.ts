import { describe, expect, it } from "vitest";
import { createToolSet } from "../../../../src/agents/tools/index.js";
import { tempRepo } from "../../../helpers/git-repo.js";
import { backendOwnsSrc } from "./ownership-fixture.js";

const FILES = {
  "src/math.ts": [
    'import { z } from "zod";',
    "export interface Shape { area(): number }",
    "export class Circle implements Shape {",
    "  constructor(readonly r: number) {}",
    "  area(): number {",
    "    return Math.PI * this.r * this.r;",
    "  }",
    "}",
    "export function double(x: number): number {",
    "  return x * 2;",
    "}",
    "export const triple = (x: number): number => x * 3;",
    "",
  ].join("\n"),
  "src/use.ts":
    'import { double } from "./math.js";\nexport const four = double(2);\nexport { Circle } from "./math.js";\n',
};

describe("code intelligence tools", () => {
  const open = () => {
    const repo = tempRepo(FILES);
    return {
      repo,
      tools: createToolSet({
        workdir: repo.path,
        role: "backend",
        ownership: backendOwnsSrc,
        allowCommands: [],
      }),
    };
  };

  it("outlines a file with signatures and no bodies", async () => {
    const { repo, tools } = open();
    using _ = repo;
    const { output } = await tools.call("outline", { path: "src/math.ts" });
    expect(output).toContain("(1 import)");
    expect(output).toContain("L3-8 export class Circle implements Shape");
    expect(output).toContain("  L5-7 area(): number");
    expect(output).toContain("L9-11 export function double(x: number): number");
    expect(output).toContain("L12-12 export const triple = (x: number): number =>");
    expect(output).not.toContain("Math.PI");
  });

  it("finds definitions and references across files, seeing fresh writes", async () => {
    const { repo, tools } = open();
    using _ = repo;
    const def = await tools.call("find_definition", { symbol: "double" });
    expect(def.output).toContain("src/math.ts:9-11\nexport function double(x: number): number {");
    const member = await tools.call("find_definition", { symbol: "Circle.area" });
    expect(member.output).toContain("Math.PI");
    await tools.call("write_file", {
      path: "src/more.ts",
      content: 'import { double } from "./math.js";\ndouble(5);\n',
    });
    const refs = await tools.call("find_references", { symbol: "double" });
    expect(refs.output).toContain("src/use.ts:2: export const four = double(2);");
    expect(refs.output).toContain("src/more.ts:2: double(5);");
    expect((await tools.call("find_definition", { symbol: "nope" })).ok).toBe(false);
  });

  it("lists a module's exports including re-exports", async () => {
    const { repo, tools } = open();
    using _ = repo;
    const { output } = await tools.call("module_exports", { path: "src/use.ts" });
    expect(output).toContain("four: VariableDeclaration four = double(2)");
    expect(output).toContain(
      "Circle: ClassDeclaration export class Circle implements Shape (from src/math.ts)",
    );
    expect((await tools.call("outline", { path: "README.md" })).output).toMatch(/not a TypeScript/);
  });
});
