import { lstatSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { gitSync } from "../../git/index.js";
import type { ToolSet } from "../tools/types.js";
import type { BrainStep } from "./brain.js";

// guild's own git: an agent's run may have planted a filter or diff driver that status, diff and checkout would run.
function git(cwd: string, args: string[]): string {
  return gitSync(cwd, args);
}

/** The commit and the already-dirty paths before an external agent runs, so only its changes are taken. */
export interface WorktreeMark {
  head: string;
  dirty: Set<string>;
}

export function markWorktree(workdir: string): WorktreeMark {
  const head = git(workdir, ["rev-parse", "HEAD"]).trim();
  const dirty = new Set(
    git(workdir, ["status", "--porcelain", "-z", "--untracked-files=all"])
      .split("\0")
      .filter(Boolean)
      .map((entry) => entry.slice(3)),
  );
  return { head, dirty };
}

function existsInCommit(workdir: string, commit: string, path: string): boolean {
  return git(workdir, ["ls-tree", "--name-only", commit, "--", path]).trim() !== "";
}

/**
 * Takes what an external agent changed since `mark` and replays it through the tool set: each
 * path is reset, then its diff goes through `apply_patch`, so the sandbox and ownership decide
 * what stays. Commits the agent made are undone first (their changes are kept in the worktree).
 */
export async function* harvestChanges(
  workdir: string,
  mark: WorktreeMark,
  tools: ToolSet,
): AsyncGenerator<BrainStep, { applied: string[]; refused: string[] }, undefined> {
  if (git(workdir, ["rev-parse", "HEAD"]).trim() !== mark.head)
    git(workdir, ["reset", "-q", "--soft", mark.head]);
  // Intent-to-add makes new files show up in `git diff` against the base commit.
  git(workdir, ["add", "--all", "--intent-to-add"]);
  const changed = git(workdir, ["diff", "--name-only", "-z", "--no-renames", mark.head])
    .split("\0")
    .filter((p) => p && !mark.dirty.has(p));
  const patches = changed.map((path) => ({
    path,
    patch: git(workdir, ["diff", "--no-renames", "--binary", mark.head, "--", path]),
    content: contentOf(join(workdir, path)),
  }));
  git(workdir, ["reset", "-q", mark.head, "--", "."]);
  for (const { path } of patches) {
    if (existsInCommit(workdir, mark.head, path)) git(workdir, ["checkout", "-q", mark.head, "--", path]);
    else if (lstatSafe(join(workdir, path))) rmSync(join(workdir, path), { force: true });
  }
  const applied: string[] = [];
  const refused: string[] = [];
  for (const [i, { path, patch, content }] of patches.entries()) {
    const id = `cli-${i}`;
    yield { kind: "tool_call", id, tool: "apply_patch", input: { path } };
    // Checked first where the tool set can: a write to another role's path then goes to its owner.
    const verdict = tools.checkWrite?.(path, content);
    const result =
      verdict && !verdict.ok
        ? { ok: false, output: `refused: ${verdict.reason}` }
        : patch.trim()
          ? await tools.call("apply_patch", { patch })
          : { ok: false, output: "refused: empty change (mode-only or binary)" };
    yield { kind: "tool_result", id, tool: "apply_patch", ok: result.ok, output: result.output };
    (result.ok ? applied : refused).push(path);
  }
  return { applied, refused };
}

/** The agent's version of a file (undefined: deleted; null: not text guild can carry, or too big). */
function contentOf(path: string): string | undefined | null {
  if (!lstatSafe(path)) return undefined;
  const info = statSync(path);
  if (!info.isFile() || info.size > 1_000_000) return null;
  const bytes = readFileSync(path);
  return bytes.includes(0) ? null : bytes.toString("utf8");
}

function lstatSafe(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
