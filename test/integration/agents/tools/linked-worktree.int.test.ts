import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createToolSet, type ToolDenial } from "../../../../src/agents/tools/index.js";
import { tempRepo } from "../../../helpers/git-repo.js";
import { tempDir } from "../../../helpers/temp-dir.js";

describe("tools in a linked git worktree, as tasks get them", () => {
  it("works inside the worktree and refuses its .git file and the main checkout", async () => {
    using repo = tempRepo({ "src/a.ts": "export const a = 1;\n", "README.md": "# r\n" });
    using parent = tempDir();
    const wt = join(parent.path, "wt");
    repo.git("worktree", "add", "-q", "-b", "task-1", wt);
    symlinkSync(join(repo.path, "src"), join(wt, "main-src"));
    const denied: ToolDenial[] = [];
    const tools = createToolSet({
      workdir: wt,
      role: "backend",
      ownership: { canWrite: () => true, isProtected: () => false },
      allowCommands: [["git", "status", "--short"]],
      onDenied: (d) => denied.push(d),
    });

    expect((await tools.call("read_file", { path: ".git" })).output).toMatch(/\.git/);
    expect((await tools.call("write_file", { path: ".git", content: "gitdir: /tmp/evil\n" })).ok).toBe(false);
    expect((await tools.call("write_file", { path: "main-src/a.ts", content: "x" })).output).toMatch(
      /outside/,
    );
    expect(denied).toHaveLength(3);

    const patch = "--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-export const a = 1;\n+export const a = 2;\n";
    expect((await tools.call("apply_patch", { patch })).ok).toBe(true);
    expect((await tools.call("write_file", { path: "src/b.ts", content: "export const b = a;\n" })).ok).toBe(
      true,
    );
    expect((await tools.call("outline", { path: "src/a.ts" })).output).toContain("L1-1 export const a = 2;");
    expect((await tools.call("search", { pattern: "const b" })).output).toContain("src/b.ts:1:");
    const status = await tools.call("run_command", { argv: ["git", "status", "--short"] });
    expect(status.output).toContain(" M src/a.ts");
    expect(readFileSync(join(repo.path, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(readFileSync(join(wt, ".git"), "utf8")).toMatch(/^gitdir: /);
  });
});

describe("writes to paths the repository ignores", () => {
  function tools(wt: string, forceAddIgnored: boolean, denied: ToolDenial[] = []) {
    return createToolSet({
      workdir: wt,
      role: "docs",
      ownership: { canWrite: () => true, isProtected: () => false },
      allowCommands: [],
      forceAddIgnored,
      onDenied: (d) => denied.push(d),
    });
  }

  it("are refused with the reason, so nothing is written that the commit would drop", async () => {
    using repo = tempRepo({ ".gitignore": "docs/\n*.log\n", "README.md": "# r\n" });
    using parent = tempDir();
    const wt = join(parent.path, "wt");
    repo.git("worktree", "add", "-q", "-b", "task-1", wt);
    const denied: ToolDenial[] = [];
    const set = tools(wt, false, denied);
    const write = await set.call("write_file", { path: "docs/API.md", content: "# API\n" });
    expect(write.ok).toBe(false);
    expect(write.output).toMatch(/docs\/API\.md is ignored by the repository.*forceAddIgnored/);
    expect(denied.map((d) => d.path)).toEqual(["docs/API.md"]);
    expect(existsSync(join(wt, "docs/API.md"))).toBe(false);
    expect((await set.call("write_file", { path: "notes.md", content: "x\n" })).ok).toBe(true);
  });

  it("are force-added when the config says so, and the commit keeps them", async () => {
    using repo = tempRepo({ ".gitignore": "docs/\n", "README.md": "# r\n" });
    using parent = tempDir();
    const wt = join(parent.path, "wt");
    repo.git("worktree", "add", "-q", "-b", "task-1", wt);
    const write = await tools(wt, true).call("write_file", { path: "docs/API.md", content: "# API\n" });
    expect(write.ok).toBe(true);
    expect(write.output).toContain("force-added");
    repo.git("-C", wt, "add", "-A");
    repo.git("-C", wt, "commit", "-q", "-m", "docs");
    expect(repo.git("-C", wt, "show", "HEAD:docs/API.md")).toBe("# API");
  });
});
