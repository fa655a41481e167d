import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createToolSet, type ToolDenial } from "../../../../src/agents/tools/index.js";
import { tempRepo } from "../../../helpers/git-repo.js";
import { tempDir } from "../../../helpers/temp-dir.js";
import { backendOwnsSrc } from "./ownership-fixture.js";

function setup(
  files: Record<string, string> = { "src/a.ts": "export const a = 1;\n", "package.json": "{}\n" },
) {
  const repo = tempRepo(files);
  const denied: ToolDenial[] = [];
  const tools = createToolSet({
    workdir: repo.path,
    role: "backend",
    ownership: backendOwnsSrc,
    allowCommands: [
      ["node", "--version"],
      ["git", "status"],
    ],
    limits: { maxFileBytes: 1_000_000 },
    onDenied: (d) => denied.push(d),
  });
  return { repo, tools, denied };
}

describe("tool set refuses hostile calls", () => {
  it("refuses writes that leave the worktree, and nothing outside changes", async () => {
    const { repo, tools, denied } = setup();
    using _ = repo;
    using outside = tempDir();
    symlinkSync(outside.path, join(repo.path, "src", "planted"));
    const attempts = [
      { path: "../../outside", content: "x" },
      { path: join(outside.path, "abs.txt"), content: "x" },
      { path: "src/planted/through-link.txt", content: "x" },
      { path: ".git/hooks/pre-commit", content: "#!/bin/sh\nexit 0\n" },
    ];
    for (const input of attempts) {
      const result = await tools.call("write_file", input);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/^refused: /);
    }
    expect(denied.map((d) => d.tool)).toEqual(["write_file", "write_file", "write_file", "write_file"]);
    expect(denied.every((d) => d.reason.length > 0)).toBe(true);
    expect(existsSync(join(outside.path, "abs.txt"))).toBe(false);
    expect(existsSync(join(outside.path, "through-link.txt"))).toBe(false);
    expect(existsSync(join(repo.path, ".git", "hooks", "pre-commit"))).toBe(false);
    expect(repo.git("status", "--porcelain")).toBe("?? src/planted");
  });

  it("refuses unowned and protected paths but writes owned ones", async () => {
    const { repo, tools, denied } = setup();
    using _ = repo;
    expect((await tools.call("write_file", { path: "docs/x.md", content: "x" })).output).toMatch(
      /does not own/,
    );
    expect((await tools.call("write_file", { path: "package.json", content: "{}" })).output).toMatch(
      /protected/,
    );
    const ok = await tools.call("write_file", { path: "src/new/b.ts", content: "export const b = 2;\n" });
    expect(ok).toEqual({ ok: true, output: "wrote src/new/b.ts (20 bytes)" });
    expect(readFileSync(join(repo.path, "src/new/b.ts"), "utf8")).toBe("export const b = 2;\n");
    expect(denied.map((d) => d.path)).toEqual(["docs/x.md", "package.json"]);
    expect(readFileSync(join(repo.path, "package.json"), "utf8")).toBe("{}\n");
  });

  it("refuses a 50 MB write without touching the disk", async () => {
    const { repo, tools, denied } = setup();
    using _ = repo;
    const result = await tools.call("write_file", {
      path: "src/big.bin",
      content: "a".repeat(50 * 1024 * 1024),
    });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/over the 1000000-byte limit/);
    expect(existsSync(join(repo.path, "src/big.bin"))).toBe(false);
    expect(denied).toHaveLength(1);
  });

  it("refuses malformed input and unknown tools with a reason", async () => {
    const { repo, tools, denied } = setup();
    using _ = repo;
    const bad = await tools.call("write_file", { path: 42 });
    expect(bad.ok).toBe(false);
    expect(bad.output).toMatch(/invalid input for write_file: path/);
    const unknown = await tools.call("rm_rf", { path: "/" });
    expect(unknown.output).toMatch(/unknown tool "rm_rf"; available: read_file/);
    expect(denied.map((d) => d.tool)).toEqual(["write_file", "rm_rf"]);
  });

  it("refuses commands off the allowlist and shell metacharacters, runs allowed ones", async () => {
    const { repo, tools, denied } = setup();
    using _ = repo;
    expect((await tools.call("run_command", { argv: ["rm", "-rf", "."] })).output).toMatch(
      /command not allowed/,
    );
    const meta = await tools.call("run_command", { argv: ["git", "status", "; touch pwned"] });
    expect(meta.output).toMatch(/shell metacharacters/);
    expect((await tools.call("run_command", { argv: ["git", "statusx"] })).ok).toBe(false);
    expect(existsSync(join(repo.path, "pwned"))).toBe(false);
    expect(existsSync(join(repo.path, "src/a.ts"))).toBe(true);
    const ran = await tools.call("run_command", { argv: ["node", "--version"] });
    expect(ran.ok).toBe(true);
    expect(ran.output).toMatch(/exit code 0\n<<<UNTRUSTED REPOSITORY DATA command output .*>>>\nv\d+\./);
    expect(denied).toHaveLength(3);
  });

  it("refuses patches that touch paths outside ownership or create symlinks", async () => {
    const { repo, tools } = setup();
    using _ = repo;
    const climb = "--- a/../../etc/x\n+++ b/../../etc/x\n@@ -0,0 +1 @@\n+x\n";
    expect((await tools.call("apply_patch", { patch: climb })).output).toMatch(/leaves the worktree/);
    const hook = "diff --git a/.git/hooks/post-checkout b/.git/hooks/post-checkout\nnew file mode 100755\n";
    expect((await tools.call("apply_patch", { patch: hook })).output).toMatch(/\.git/);
    const link =
      "diff --git a/src/l b/src/l\nnew file mode 120000\n--- /dev/null\n+++ b/src/l\n@@ -0,0 +1 @@\n+/etc\n";
    expect((await tools.call("apply_patch", { patch: link })).output).toMatch(/symlinks/);
    expect(repo.git("status", "--porcelain")).toBe("");
  });
});
