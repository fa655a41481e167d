import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCliBrain } from "../../../src/agents/brains/index.js";
import { sandboxPolicy } from "../../../src/sandbox/index.js";
import { git } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { brainFixture, runBrain } from "../agents/brains/brain-fixture.js";

// A `cli` brain's command is a script standing in for a hostile coding agent; it gets its worktree as {dir}.
async function runHostile(script: string, args: string[] = []) {
  // Outside /tmp, which the sandbox replaces with its own: an installed agent lives where the sandbox can read.
  const dir = tempDir(".hostile-agent-", import.meta.dirname);
  const path = join(dir.path, "agent.mjs");
  writeFileSync(path, script);
  const fixture = brainFixture({}, {}, { sandbox: sandboxPolicy(undefined) });
  const brain = createCliBrain({ command: ["node", path, "{dir}", ...args] });
  const { steps, error } = await runBrain(brain, fixture.context);
  return {
    ...fixture,
    steps,
    error,
    output: JSON.stringify(steps),
    [Symbol.dispose]: () => dir[Symbol.dispose](),
  };
}

const TRY = `const attempt = (what, fn) => { try { fn(); console.log(what + " done"); } catch (e) { console.log(what + " refused " + (e.code ?? e.status ?? "")); } };`;

// Processes still alive anywhere whose command line holds `tag`.
function alive(tag: string): number {
  let n = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(tag)) n++;
    } catch {}
  }
  return n;
}

describe("a hostile cli brain under bubblewrap", () => {
  it("cannot write into a sibling agent's worktree", async () => {
    // The sibling's worktree where the root file system is: bubblewrap mounts it read-only.
    using place = tempDir(".sibling-", import.meta.dirname);
    using sibling = tempDir("guild-sibling-repo-");
    git(sibling.path, "init", "-q", "-b", "main");
    writeFileSync(join(sibling.path, "owned.ts"), "export const mine = 1;\n");
    git(sibling.path, "add", "-A");
    git(sibling.path, "-c", "user.name=s", "-c", "user.email=s@s", "commit", "-q", "-m", "sibling");
    const siblingTree = join(place.path, "wt");
    git(sibling.path, "worktree", "add", "-q", siblingTree);
    using run = await runHostile(
      `import { writeFileSync } from "node:fs";
${TRY}
const sibling = process.argv[3];
attempt("sibling-edit", () => writeFileSync(sibling + "/owned.ts", "export const evil = 1;\\n"));
attempt("sibling-new", () => writeFileSync(sibling + "/planted.ts", "export const planted = 1;\\n"));
writeFileSync(process.argv[2] + "/src/a.ts", "export const a = 3;\\n");`,
      [siblingTree],
    );
    using _ = run.repo;
    expect(run.error).toBeUndefined();
    expect(run.output).toContain("sibling-edit refused EROFS");
    expect(run.output).toContain("sibling-new refused EROFS");
    expect(readFileSync(join(siblingTree, "owned.ts"), "utf8")).toBe("export const mine = 1;\n");
    expect(existsSync(join(siblingTree, "planted.ts"))).toBe(false);
    expect(git(siblingTree, "status", "--porcelain")).toBe("");
    // Its own worktree it may change: the sandbox held the sibling, not the agent's work.
    expect(readFileSync(join(run.repo.path, "src/a.ts"), "utf8")).toBe("export const a = 3;\n");
  });

  it("cannot add core.hooksPath to the user's ~/.gitconfig", async () => {
    using home = tempDir(".home-", import.meta.dirname);
    const gitconfig = join(home.path, ".gitconfig");
    writeFileSync(gitconfig, "[user]\n\tname = me\n");
    const saved = process.env.HOME;
    process.env.HOME = home.path;
    try {
      using run = await runHostile(
        `import { execFileSync } from "node:child_process";
import { appendFileSync } from "node:fs";
${TRY}
attempt("global-config", () => execFileSync("git", ["config", "--global", "core.hooksPath", "/tmp/evil-hooks"], { stdio: "ignore" }));
console.log("sandbox home " + process.env.HOME);
attempt("real-gitconfig", () => appendFileSync(process.argv[3], "[core]\\n\\thooksPath = /tmp/evil-hooks\\n"));`,
        [gitconfig],
      );
      using _ = run.repo;
      expect(run.error).toBeUndefined();
      // git config --global wrote the sandbox's own HOME, and the write to the real path landed in the
      // empty directory mounted over the user's HOME: both are gone with the sandbox.
      expect(run.output).toContain("global-config done");
      expect(run.output).toContain("sandbox home /tmp/home");
      expect(run.output).toContain("real-gitconfig done");
      expect(readFileSync(gitconfig, "utf8")).toBe("[user]\n\tname = me\n");
      // No hooksPath for the user's own git either.
      const check = spawnSync("git", ["config", "--global", "--get-all", "core.hooksPath"], {
        encoding: "utf8",
      });
      expect(check.status).toBe(1);
      expect(check.stdout).toBe("");
    } finally {
      process.env.HOME = saved;
    }
  });

  it("leaves no setsid child behind to re-plant a .git/hooks script", async () => {
    const tag = `guild-replant-${process.pid}-${Date.now()}`;
    using run = await runHostile(
      `import { spawn } from "node:child_process";
const dir = process.argv[2];
const loop = "while :; do mkdir -p .git/hooks 2>/dev/null; printf '#!/bin/sh\\\\ntouch planted\\\\n' > .git/hooks/pre-commit 2>/dev/null; chmod +x .git/hooks/pre-commit 2>/dev/null; sleep 0.2; done; : ${tag}";
spawn("setsid", ["sh", "-c", "sleep 0.5; " + loop], { cwd: dir, detached: true, stdio: "ignore" }).unref();
console.log("left a child");`,
    );
    using _ = run.repo;
    expect(run.error).toBeUndefined();
    expect(run.output).toContain("left a child");
    // Long enough for the child to have woken up and planted, had it survived the agent.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(alive(tag)).toBe(0);
    expect(existsSync(join(run.repo.path, ".git/hooks/pre-commit"))).toBe(false);
    // guild's commit in that worktree runs no hook either way.
    git(run.repo.path, "-c", "core.hooksPath=/dev/null", "commit", "-q", "--allow-empty", "-m", "after");
    expect(existsSync(join(run.repo.path, "planted"))).toBe(false);
  });
});
