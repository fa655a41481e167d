import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportBundle, importBundle } from "../../../src/git/index.js";
import { isGuildError } from "../../../src/protocol/index.js";
import { git, tempRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

/** A coordinator repository and an agent's clone of it, at the same base commit. */
function machines() {
  const coordinator = tempRepo({ "README.md": "# app\n", "src/a.ts": "export const a = 1;\n" });
  const agentDir = tempDir("guild-agent-");
  git(agentDir.path, "clone", "-q", coordinator.path, "repo");
  const agent = join(agentDir.path, "repo");
  const base = coordinator.head();
  const commit = (files: Record<string, string>, message = "work") => {
    for (const [p, c] of Object.entries(files)) writeFileSync(join(agent, p), c);
    git(agent, "add", "-A");
    git(agent, "commit", "-q", "-m", message);
    return git(agent, "rev-parse", "HEAD");
  };
  return {
    coordinator,
    agent,
    base,
    commit,
    [Symbol.dispose]() {
      coordinator[Symbol.dispose]();
      agentDir[Symbol.dispose]();
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<{ rule: unknown; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isGuildError(e, "git.bundle_rejected")) return { rule: e.details?.rule, message: e.message };
    throw e;
  }
  throw new Error("expected a rejection");
}

/** Commits a hand-made tree (paths git's porcelain would refuse) on top of `parent` in `repo`. */
function craftedCommit(repo: string, parent: string, name: string): string {
  const blob = git(repo, "hash-object", "-w", "README.md");
  const inner = execMktree(repo, `100644 blob ${blob}\tconfig\n`);
  const baseTree = git(repo, "rev-parse", `${parent}^{tree}`);
  const entries = git(repo, "ls-tree", baseTree);
  const tree = execMktree(repo, `${entries}\n040000 tree ${inner}\t${name}\n`);
  return git(repo, "commit-tree", tree, "-p", parent, "-m", "crafted");
}

function execMktree(repo: string, input: string): string {
  return execFileSync("git", ["mktree"], { cwd: repo, input, encoding: "utf8" }).trim();
}

describe("proposal bundles", () => {
  it("round-trips a task's commits into refs/guild/proposals/<id>", async () => {
    using m = machines();
    m.commit({ "src/a.ts": "export const a = 2;\n", "src/b.ts": "export const b = 1;\n" }, "one");
    const head = m.commit({ "src/b.ts": "export const b = 2;\n" }, "two");
    const bundle = await exportBundle(m.agent, { base: m.base, head, ref: "p1" });
    const imported = await importBundle(m.coordinator.path, bundle, { proposalId: "p1", baseCommit: m.base });
    expect(imported).toEqual({
      ref: "refs/guild/proposals/p1",
      head,
      changedPaths: ["src/a.ts", "src/b.ts"],
    });
    expect(m.coordinator.git("rev-parse", "refs/guild/proposals/p1")).toBe(head);
    expect(m.coordinator.git("show", `${head}:src/b.ts`)).toBe("export const b = 2;");
    // Importing the same proposal again is harmless.
    await importBundle(m.coordinator.path, bundle, { proposalId: "p1", baseCommit: m.base });
  });

  it("reports the net changed paths: a single commit's own diff, deletions included, and a range's net diff", async () => {
    using m = machines();
    git(m.agent, "rm", "-q", "README.md");
    const single = m.commit({ "src/c.ts": "export const c = 1;\n" }, "one commit");
    const one = await exportBundle(m.agent, { base: m.base, head: single, ref: "p1" });
    const first = await importBundle(m.coordinator.path, one, { proposalId: "p1", baseCommit: m.base });
    expect(first.changedPaths).toEqual(["README.md", "src/c.ts"]);

    git(m.agent, "reset", "-q", "--hard", m.base);
    m.commit({ "src/tmp.ts": "scratch\n", "src/a.ts": "export const a = 3;\n" }, "add scratch");
    git(m.agent, "rm", "-q", "src/tmp.ts");
    const range = m.commit({}, "drop scratch");
    const two = await exportBundle(m.agent, { base: m.base, head: range, ref: "p2" });
    const second = await importBundle(m.coordinator.path, two, { proposalId: "p2", baseCommit: m.base });
    // src/tmp.ts came and went inside the range: every commit was checked, but it is not a net change.
    expect(second.changedPaths).toEqual(["src/a.ts"]);
  });

  it("refuses a bundle carrying refs outside the proposals namespace", async () => {
    using m = machines();
    m.commit({ "src/a.ts": "x\n" });
    const file = join(m.agent, "..", "evil.bundle");
    git(m.agent, "bundle", "create", "-q", file, "main", `^${m.base}`);
    const r = await rejection(
      importBundle(m.coordinator.path, readFileSync(file), { proposalId: "p1", baseCommit: m.base }),
    );
    expect(r.rule).toBe("refs_outside_namespace");
    expect(r.message).toContain("refs/heads/main");
  });

  it("refuses work not based on the goal's base commit, leaving no objects behind", async () => {
    using m = machines();
    const stranger = tempRepo({ "other.txt": "unrelated\n" });
    const head = stranger.head();
    const bundle = await exportBundle(stranger.path, { base: head, head, ref: "p1" });
    const r = await rejection(
      importBundle(m.coordinator.path, bundle, { proposalId: "p1", baseCommit: m.base }),
    );
    expect(r.rule).toBe("not_based_on_base");
    stranger[Symbol.dispose]();
    const later = m.commit({ "src/a.ts": "later\n" });
    const onTop = m.commit({ "src/c.ts": "c\n" });
    const skewed = await exportBundle(m.agent, { base: later, head: onTop, ref: "p2" });
    const r2 = await rejection(
      importBundle(m.coordinator.path, skewed, { proposalId: "p2", baseCommit: m.base }),
    );
    expect(r2.rule).toBe("not_based_on_base");
    expect(m.coordinator.git("for-each-ref", "refs/guild")).toBe("");
    expect(() => m.coordinator.git("cat-file", "-e", onTop)).toThrow();
  });

  it("refuses a commit that writes into .git", async () => {
    using m = machines();
    const evil = craftedCommit(m.agent, m.base, ".git");
    const bundle = await exportBundle(m.agent, { base: m.base, head: evil, ref: "p1" });
    const r = await rejection(
      importBundle(m.coordinator.path, bundle, { proposalId: "p1", baseCommit: m.base }),
    );
    expect(r.rule).toBe("unsafe_path");
    const sneaky = craftedCommit(m.agent, m.base, ".GIT.");
    const b2 = await exportBundle(m.agent, { base: m.base, head: sneaky, ref: "p2" });
    expect(
      (await rejection(importBundle(m.coordinator.path, b2, { proposalId: "p2", baseCommit: m.base }))).rule,
    ).toBe("unsafe_path");
  });

  it("refuses a symlink that points outside the repository but keeps one that stays inside", async () => {
    using m = machines();
    symlinkSync("../../../../etc/passwd", join(m.agent, "src", "leak"));
    const head = m.commit({});
    const bundle = await exportBundle(m.agent, { base: m.base, head, ref: "p1" });
    const r = await rejection(
      importBundle(m.coordinator.path, bundle, { proposalId: "p1", baseCommit: m.base }),
    );
    expect(r.rule).toBe("symlink_escape");
    git(m.agent, "reset", "-q", "--hard", m.base);
    symlinkSync("../README.md", join(m.agent, "src", "readme"));
    const ok = m.commit({});
    const good = await exportBundle(m.agent, { base: m.base, head: ok, ref: "p2" });
    const imported = await importBundle(m.coordinator.path, good, { proposalId: "p2", baseCommit: m.base });
    expect(imported.changedPaths).toEqual(["src/readme"]);
  });

  it("refuses files and totals over the size limits", async () => {
    using m = machines();
    const head = m.commit({ "big.txt": "x".repeat(5000), "small.txt": "y".repeat(100) });
    const bundle = await exportBundle(m.agent, { base: m.base, head, ref: "p1" });
    const perFile = await rejection(
      importBundle(m.coordinator.path, bundle, {
        proposalId: "p1",
        baseCommit: m.base,
        limits: { maxFileBytes: 1000, maxTotalBytes: 1e6 },
      }),
    );
    expect(perFile.rule).toBe("file_too_large");
    expect(perFile.message).toContain("big.txt");
    const total = await rejection(
      importBundle(m.coordinator.path, bundle, {
        proposalId: "p1",
        baseCommit: m.base,
        limits: { maxFileBytes: 1e6, maxTotalBytes: 10 },
      }),
    );
    expect(total.rule).toBe("total_too_large");
  });

  it("refuses protected paths unless approved", async () => {
    using m = machines();
    git(m.agent, "checkout", "-q", "-b", "work");
    mkdirSync(join(m.agent, ".github"));
    const head = m.commit({ ".github/ci.yml": "on: push\n" });
    const bundle = await exportBundle(m.agent, { base: m.base, head, ref: "p1" });
    const isProtected = (p: string) => p.startsWith(".github/");
    const r = await rejection(
      importBundle(m.coordinator.path, bundle, { proposalId: "p1", baseCommit: m.base, isProtected }),
    );
    expect(r.rule).toBe("protected_paths");
    const ok = await importBundle(m.coordinator.path, bundle, {
      proposalId: "p1",
      baseCommit: m.base,
      isProtected,
      approvedProtected: true,
    });
    expect(ok.changedPaths).toEqual([".github/ci.yml"]);
  });

  it("refuses bytes that are not a bundle", async () => {
    using repo = tempRepo();
    const r = await rejection(
      importBundle(repo.path, new TextEncoder().encode("hello"), {
        proposalId: "p1",
        baseCommit: repo.head(),
      }),
    );
    expect(r.rule).toBe("malformed_bundle");
  });
});
