import { describe, expect, it } from "vitest";
import { adaptToRenames } from "../../../../src/agents/brains/offline-adapt.js";

const exists = (p: string) => p === "src/lib/auth.ts";
const rename = {
  path: "src/lib/auth.ts",
  symbol: "legacyHash",
  change: "renamed" as const,
  renamedTo: "hashLegacy",
};

describe("offline adapt to a renamed export", () => {
  it("switches the import and every call to the new name, and leaves other names alone", () => {
    const text = `import { hash, legacyHash } from "../lib/auth.js";
const legacy = { legacyHash: 1 };
export function key(name: string) {
  return legacyHash(name) + hash(name) + legacy.legacyHash;
}
`;
    expect(
      adaptToRenames("src/routes/user.ts", text, [rename], exists),
    ).toBe(`import { hash, hashLegacy } from "../lib/auth.js";
const legacy = { legacyHash: 1 };
export function key(name: string) {
  return hashLegacy(name) + hash(name) + legacy.legacyHash;
}
`);
  });

  it("keeps an alias, and changes nothing for a removal, another module, or a file without the import", () => {
    const aliased = `import { legacyHash as lh } from "../lib/auth.js";\nexport const k = lh("a");\n`;
    expect(adaptToRenames("src/routes/user.ts", aliased, [rename], exists)).toBe(
      `import { hashLegacy as lh } from "../lib/auth.js";\nexport const k = lh("a");\n`,
    );
    expect(
      adaptToRenames(
        "src/routes/user.ts",
        aliased,
        [{ ...rename, change: "removed", renamedTo: undefined }],
        exists,
      ),
    ).toBeUndefined();
    expect(
      adaptToRenames("src/routes/user.ts", aliased, [{ ...rename, path: "src/lib/other.ts" }], exists),
    ).toBeUndefined();
    expect(adaptToRenames("src/a.ts", "export const a = legacyHash;\n", [rename], exists)).toBeUndefined();
  });
});
