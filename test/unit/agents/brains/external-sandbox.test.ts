import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codexArgs } from "../../../../src/agents/brains/codex.js";
import { codexSandboxMode, withCodexSandbox } from "../../../../src/agents/brains/codex-sandbox.js";
import { packageRoot } from "../../../../src/agents/brains/external-run-sandbox.js";
import { bwrapArgs } from "../../../../src/sandbox/index.js";
import { tempDir } from "../../../helpers/temp-dir.js";

describe("codex's own sandbox under guild's", () => {
  it("is off under bubblewrap (guild's confines it) and workspace-write only under sandbox: none", () => {
    expect(codexSandboxMode("bubblewrap")).toBe("danger-full-access");
    expect(codexSandboxMode("none")).toBe("workspace-write");
    expect(codexArgs({}, "/w", {}, "bubblewrap").slice(0, 4)).toEqual([
      "exec",
      "--json",
      "--sandbox",
      "danger-full-access",
    ]);
  });

  it("rewrites a kind: cli codex command's workspace-write, in each spelling, and nothing else", () => {
    const preset = ["/x/bin/codex", "exec", "--sandbox", "workspace-write", "--cd", "/w", "task"];
    expect(withCodexSandbox(preset, "bubblewrap")[3]).toBe("danger-full-access");
    expect(withCodexSandbox(preset, "none")).toEqual(preset);
    expect(withCodexSandbox(["codex", "exec", "-s", "workspace-write"], "bubblewrap")[3]).toBe(
      "danger-full-access",
    );
    expect(withCodexSandbox(["codex", "--sandbox=workspace-write"], "bubblewrap")[1]).toBe(
      "--sandbox=danger-full-access",
    );
    expect(withCodexSandbox(["codex", "exec", "-s", "read-only"], "bubblewrap")).toEqual([
      "codex",
      "exec",
      "-s",
      "read-only",
    ]);
    const other = ["aider", "--sandbox", "workspace-write"];
    expect(withCodexSandbox(other, "bubblewrap")).toEqual(other);
  });
});

describe("an external agent's package folder", () => {
  it("is the outermost node_modules its executable resolves into, else the executable's folder", () => {
    using dir = tempDir();
    const pkg = join(dir.path, "app/node_modules/@openai/codex/bin");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "codex.js"), "#!/bin/sh\n", { mode: 0o755 });
    mkdirSync(join(dir.path, "app/node_modules/.bin"));
    symlinkSync("../@openai/codex/bin/codex.js", join(dir.path, "app/node_modules/.bin/codex"));
    mkdirSync(join(dir.path, "opt"));
    writeFileSync(join(dir.path, "opt/claude"), "#!/bin/sh\n", { mode: 0o755 });
    const bin = join(dir.path, "app/node_modules/.bin");
    expect(packageRoot("codex", `/nowhere:${bin}`)).toEqual([join(dir.path, "app/node_modules")]);
    expect(packageRoot(join(dir.path, "opt/claude"), "")).toEqual([join(dir.path, "opt")]);
    expect(packageRoot("no-such-agent", bin)).toEqual([]);
  });

  it("is mounted back read-only before the worktree, so a folder above the worktree leaves it writable", () => {
    const args = bwrapArgs({
      cwd: "/srv/app/wt",
      writable: [],
      network: true,
      home: "/tmp/home",
      tmp: "/tmp/tmp",
      path: "/usr/bin",
      readable: ["/srv/app", "relative/ignored"],
    });
    const readable = args.indexOf("/srv/app");
    const worktree = args.indexOf("/srv/app/wt");
    expect(args.slice(readable - 1, readable + 2)).toEqual(["--ro-bind-try", "/srv/app", "/srv/app"]);
    expect(args.slice(worktree - 1, worktree + 2)).toEqual(["--bind", "/srv/app/wt", "/srv/app/wt"]);
    expect(readable).toBeLessThan(worktree);
    expect(args).not.toContain("relative/ignored");
  });
});
