import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { restoreGitControl, snapshotGitControl } from "../../../../src/agents/brains/cli-git-guard.js";
import { harvestChanges, markWorktree } from "../../../../src/agents/brains/cli-harvest.js";
import { judgeNoChange } from "../../../../src/agents/specialist/attempt-outcome.js";
import { createToolSet, type OwnershipCheck } from "../../../../src/agents/tools/index.js";
import { gitSync } from "../../../../src/git/index.js";
import { plantedRepo } from "../../../helpers/planted-git.js";
import { tempDir } from "../../../helpers/temp-dir.js";

const LINES = "export const a1 = 1;\nexport const a2 = 2;\nexport const a3 = 3;\n";
const ownsSrc: OwnershipCheck = {
  canWrite: (role, path) => role === "backend" && path.startsWith("src/"),
  isProtected: () => false,
};

// A patch of the whole of a three-line file, its first line changed.
function patchOf(path: string, lines: string, first: string): string {
  const [old, ...rest] = lines.trimEnd().split("\n");
  const tail = rest.map((l) => ` ${l}\n`).join("");
  return `--- a/${path}\n+++ b/${path}\n@@ -1,3 +1,3 @@\n-${old}\n+${first}\n${tail}`;
}

async function drain<T, R>(steps: AsyncGenerator<T, R, undefined>): Promise<R> {
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}

describe("an agent's git and the programs a repository's config names", () => {
  it("runs no filter or diff driver in its tools, the cli harvest, or the attempt's judgement", async () => {
    using scratch = tempDir("agent-programs-");
    const marker = join(scratch.path, "ran.log");
    using repo = plantedRepo(marker, scratch.path, {
      "src/a.ts": LINES,
      "src/gen/.keep": "",
      ".gitignore": "src/gen/*.ts\n",
      "docs/n.md": "note\n",
    });
    const tools = createToolSet({
      workdir: repo.path,
      role: "backend",
      ownership: ownsSrc,
      allowCommands: [],
      forceAddIgnored: true,
    });

    // The model's tools: a patch to a filtered file (git apply reads it through the clean filter and writes it
    // through smudge), a write to an ignored path (check-ignore, add -N), listing, search and the code index.
    const patched = await tools.call("apply_patch", {
      patch: patchOf("src/a.ts", LINES, "export const a1 = 10;"),
    });
    expect(patched).toEqual({ ok: true, output: "patched src/a.ts" });
    expect(readFileSync(join(repo.path, "src/a.ts"), "utf8")).toBe(LINES.replace("= 1;", "= 10;"));
    const wrote = await tools.call("write_file", { path: "src/gen/g.ts", content: "export const g = 1;\n" });
    expect(wrote.output).toMatch(/force-added/);
    expect((await tools.call("list_files", {})).output).toContain("src/gen/g.ts");
    expect((await tools.call("search", { pattern: "a1 = 10", fixed: true })).output).toContain("src/a.ts:1:");
    expect((await tools.call("find_definition", { symbol: "a2" })).ok).toBe(true);
    expect(await judgeNoChange(repo.path, "patched", { refusals: [] })).toBe("patched");
    expect(existsSync(marker)).toBe(false);
    // Back to a clean worktree with guild's git (the test's own git would run the plant). src/a.ts is as
    // committed but newer than the index, so telling that the attempt changed nothing reads it through the filter.
    gitSync(repo.path, ["rm", "-q", "--cached", "src/gen/g.ts"]);
    rmSync(join(repo.path, "src/gen/g.ts"));
    writeFileSync(join(repo.path, "src/a.ts"), LINES);
    const none = await judgeNoChange(repo.path, "No changes needed: the code already does it", {
      refusals: [],
    });
    expect(none).toBe("No changes were needed: the code already does it");
    expect(existsSync(marker)).toBe(false);

    // A CLI agent's run, harvested: status, add -N, diff, reset and checkout of a filtered, diff-driven file.
    const mark = markWorktree(repo.path);
    const control = snapshotGitControl(repo.path);
    writeFileSync(join(repo.path, "src/a.ts"), LINES.replace("a3 = 3", "a3 = 30"));
    mkdirSync(join(repo.path, "src/b"), { recursive: true });
    writeFileSync(join(repo.path, "src/b/b.ts"), "export const b = 1;\n");
    writeFileSync(join(repo.path, "docs/n.md"), "note 2\n");
    expect(restoreGitControl(control)).toEqual([]);
    const { applied, refused } = await drain(harvestChanges(repo.path, mark, tools));
    expect(existsSync(marker)).toBe(false);
    expect(applied.sort()).toEqual(["src/a.ts", "src/b/b.ts"]);
    expect(refused).toEqual(["docs/n.md"]);
    expect(readFileSync(join(repo.path, "src/a.ts"), "utf8")).toBe(LINES.replace("a3 = 3", "a3 = 30"));
    expect(readFileSync(join(repo.path, "src/b/b.ts"), "utf8")).toBe("export const b = 1;\n");
    expect(readFileSync(join(repo.path, "docs/n.md"), "utf8")).toBe("note\n");
    // The same git without guild's settings does run them: the plant is real.
    repo.git("diff", "--", "src/a.ts");
    expect(readFileSync(marker, "utf8")).toContain("prog.sh");
  });
});
