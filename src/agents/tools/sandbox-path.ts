import { existsSync, lstatSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { GuildError } from "../../protocol/index.js";

/** A path confined to a worktree: `abs` is where it really is, `rel` the worktree-relative path (POSIX). */
export interface ResolvedPath {
  abs: string;
  rel: string;
}

function deny(path: string, reason: string): GuildError {
  return new GuildError("sandbox.denied", reason, { details: { path } });
}

function insideRoot(root: string, abs: string): string | undefined {
  const rel = relative(root, abs);
  if (rel === "") return "";
  if (rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

function touchesGitDir(rel: string): boolean {
  // Case-insensitive because `.GIT/hooks` is `.git/hooks` on macOS and Windows file systems.
  return rel.split("/").some((segment) => segment.toLowerCase() === ".git");
}

/**
 * Resolves `path` inside `workdir`, following symlinks, and throws `sandbox.denied` if it leaves the
 * worktree, enters `.git/`, or (for writes) is itself a symlink.
 * @example resolveInWorktree("/repo", "src/a.ts", { forWrite: true }) // { abs: "/repo/src/a.ts", rel: "src/a.ts" }
 */
export function resolveInWorktree(
  workdir: string,
  path: string,
  options: { forWrite: boolean },
): ResolvedPath {
  if (typeof path !== "string" || path.trim() === "") throw deny(String(path), "path is empty");
  if (path.includes("\0")) throw deny(path, "path contains a NUL byte");
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) {
    throw deny(path, "absolute paths are refused; use a path relative to the worktree");
  }
  const root = realpathSync(workdir);
  const lexical = insideRoot(root, resolve(root, path));
  if (lexical === undefined) throw deny(path, "path leaves the worktree");
  if (touchesGitDir(lexical)) throw deny(path, "paths inside .git/ are refused");

  // Follow symlinks on the longest existing prefix; the rest does not exist yet (a new file).
  let existing = resolve(root, lexical);
  const missing: string[] = [];
  while (!existsSync(existing) && existing !== root) {
    try {
      lstatSync(existing);
      // A dangling symlink: it exists as a link but its target does not.
      throw deny(path, "path goes through a dangling symlink");
    } catch (e) {
      if (e instanceof GuildError) throw e;
    }
    missing.unshift(existing.slice(dirname(existing).length + 1));
    existing = dirname(existing);
  }
  const real = join(realpathSync(existing), ...missing);
  const rel = insideRoot(root, real);
  if (rel === undefined) throw deny(path, "path resolves outside the worktree through a symlink");
  if (touchesGitDir(rel)) throw deny(path, "path resolves into .git/ through a symlink");
  if (options.forWrite) {
    if (rel === "") throw deny(path, "cannot write the worktree root");
    const target = resolve(root, lexical);
    if (existsSync(target) && lstatSync(target).isSymbolicLink()) {
      throw deny(path, "writing through a symlink is refused");
    }
  }
  return { abs: real, rel };
}
