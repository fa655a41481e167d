import { describe, expect, it } from "vitest";
import { importUses, SurfaceParser, surfaceChanges } from "../../../../src/agents/progress/index.js";

const BASE = `import { db } from "./db.js";
export function hash(text: string): string {
  return text + "x";
}
/** @deprecated */
export function legacyHash(text: string): string {
  return hash(text);
}
export const limit = 5;
export const check = (a: number, b: number): boolean => a > b;
export class Store {
  private secret = 1;
  get(key: string): string { return key; }
}
export type Id = string;
function internal(): void {}
export { internal as helper };
export * from "./more.js";
`;

describe("exported surface", () => {
  it("lists exports by name with signatures, never bodies", () => {
    const surface = new SurfaceParser().surface("src/lib/auth.ts", BASE);
    expect([...surface.keys()].sort()).toEqual(
      ["* from ./more.js", "Id", "Store", "check", "hash", "helper", "legacyHash", "limit"].sort(),
    );
    expect(surface.get("hash")).toBe("function hash(text: string): string");
    expect(surface.get("check")).toBe("const check = (a: number, b: number): boolean");
    expect(surface.get("helper")).toBe("function internal(): void");
    expect(surface.get("Store")).toContain("get(key: string): string");
    expect(surface.get("Store")).not.toContain("secret");
    expect(surface.get("limit")).toBe("const limit");
  });

  it("reports removed, changed and added exports, and nothing for a body or private edit", () => {
    const parser = new SurfaceParser();
    const before = parser.surface("a.ts", BASE);
    const bodyOnly = BASE.replace('text + "x"', 'text + "y"')
      .replace("secret = 1", "secret = 2")
      .replace("limit = 5", "limit = 6");
    expect(surfaceChanges("a.ts", before, parser.surface("a.ts", bodyOnly))).toEqual([]);
    const after = parser.surface(
      "a.ts",
      BASE.replace(/\/\*\* @deprecated \*\/\nexport function legacyHash[^}]*}\n/, "")
        .replace("hash(text: string): string {", "hash(text: string, salt: string): string {")
        .concat("export function hashLegacy(text: string): string { return text; }\n"),
    );
    const changes = surfaceChanges("a.ts", before, after);
    expect(changes).toEqual([
      {
        path: "a.ts",
        symbol: "hash",
        change: "changed",
        before: "function hash(text: string): string",
        after: "function hash(text: string, salt: string): string",
      },
      {
        path: "a.ts",
        symbol: "legacyHash",
        change: "removed",
        before: "function legacyHash(text: string): string",
      },
      {
        path: "a.ts",
        symbol: "hashLegacy",
        change: "added",
        after: "function hashLegacy(text: string): string",
      },
    ]);
  });
});

describe("imported names a change uses", () => {
  const exists = (p: string) => ["src/lib/auth.ts", "src/lib/index.ts"].includes(p);
  const source = `import { legacyHash, hash as h } from "../lib/auth.js";
import * as lib from "../lib/index.js";
import express from "express";

export function a(x: string) {
  return h(x);
}
export function b(x: string) {
  return legacyHash(x) + lib.version(x) + express();
}
`;

  it("names only the imports used on changed lines, by their exported name and module path", () => {
    const file = new SurfaceParser().parse("src/routes/user.ts", source);
    expect(importUses(file, "src/routes/user.ts", [{ start: 8, end: 10 }], exists)).toEqual([
      { path: "src/lib/auth.ts", symbol: "legacyHash", in: "src/routes/user.ts" },
      { path: "src/lib/index.ts", symbol: "version", in: "src/routes/user.ts" },
    ]);
    expect(importUses(file, "src/routes/user.ts", [{ start: 5, end: 7 }], exists)).toEqual([
      { path: "src/lib/auth.ts", symbol: "hash", in: "src/routes/user.ts" },
    ]);
  });
});
