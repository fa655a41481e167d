import { describe, expect, it } from "vitest";
import { runSkill } from "../../../../src/agents/skills/index.js";
import { writeFiles } from "../../../helpers/git-repo.js";
import { tempDir } from "../../../helpers/temp-dir.js";

describe("docs skill on a package", () => {
  it("documents the public entry points in package.json exports (re-exports included), not internal modules", {
    timeout: 60_000,
  }, async () => {
    using dir = tempDir();
    writeFiles(dir.path, {
      "package.json": JSON.stringify({
        name: "pkg",
        exports: {
          ".": { import: { types: "./esm/index.d.ts", default: "./esm/index.js" } },
          "./extra": "./dist/extra.js",
        },
      }),
      "src/index.ts":
        'export { shout } from "./internal/shout.js";\n/** Adds. */\nexport function add(a: number, b: number): number { return a + b; }\n',
      "src/extra.ts": "/** Extra. */\nexport const extra = (s: string): string => s;\n",
      "src/internal/shout.ts":
        "/** Shouts. */\nexport function shout(s: string): string { return s.toUpperCase(); }\n",
      "src/internal/hidden.ts": "export function hidden(): number { return 1; }\n",
    });
    const report = await runSkill("docs", dir.path);
    const content = report.changes[0]?.content ?? "";
    expect(content).toContain("public entry points (`pkg`, `pkg/extra`)");
    expect(content).toContain("## `pkg` (src/index.ts)");
    expect(content).toContain("## `pkg/extra` (src/extra.ts)");
    expect(content).toContain("### `add`");
    expect(content).toContain("### `shout`");
    expect(content).toContain("### `extra`");
    expect(content).not.toContain("hidden");
    expect(content).not.toContain("## `src/internal");
  });
});
