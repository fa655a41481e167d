import { posix } from "node:path";

/** Why a repository path is unsafe to write, or undefined when it is a plain path inside the tree. */
export function unsafePathReason(path: string): string | undefined {
  if (path === "" || path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "absolute or empty path";
  if (path.includes("\\")) return "backslash in path";
  for (const part of path.split("/")) {
    if (part === "" || part === "." || part === "..") return "path leaves the repository";
    // Case-insensitive file systems and Windows' trailing-dot/space and 8.3 names all reach `.git`.
    const folded = part.toLowerCase().replace(/[. ]+$/, "");
    if (folded === ".git" || folded === "git~1") return "path inside .git";
  }
  return undefined;
}

/** Why a symlink at `path` pointing to `target` escapes the repository, or undefined when it stays inside. */
export function symlinkEscapeReason(path: string, target: string): string | undefined {
  if (target === "" || target.startsWith("/") || /^[A-Za-z]:/.test(target) || target.includes("\\")) {
    return "symlink target is absolute";
  }
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  if (resolved === ".." || resolved.startsWith("../")) return "symlink points outside the repository";
  if (resolved !== "." && unsafePathReason(resolved) === "path inside .git")
    return "symlink points into .git";
  return undefined;
}
