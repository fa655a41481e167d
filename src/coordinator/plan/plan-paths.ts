/** An expected path after the plan check: the cleaned text, or why it cannot be used. */
export type CleanedPath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Cleans an expected path as a planner wrote it: trims, turns `\` into `/`, drops a leading `./`;
 * refuses `..` segments, NUL bytes and empty text. Globs and a leading `/` (anchored) are kept.
 */
export function cleanExpectedPath(raw: string): CleanedPath {
  let path = raw.trim().replaceAll("\\", "/");
  while (path.startsWith("./")) path = path.slice(2);
  path = path.replace(/\/{2,}/g, "/");
  if (path === "" || path === "/" || path === ".") return { ok: false, reason: "is empty" };
  if (path.includes("\0")) return { ok: false, reason: "contains a NUL byte" };
  if (path.split("/").includes("..")) return { ok: false, reason: "leaves the repository (..)" };
  return { ok: true, path };
}

/**
 * A concrete file path standing for an expected path, to ask the ownership matcher about it:
 * wildcards become `x`, a directory gets a file name, an anchoring `/` is dropped.
 * @example probePath("src/api/**") === "src/api/x"
 */
export function probePath(expected: string): string {
  let path = expected.startsWith("/") ? expected.slice(1) : expected;
  path = path
    .replace(/\[[^\]]*\]/g, "x")
    .replace(/\*+/g, "x")
    .replace(/\?/g, "x");
  if (path.endsWith("/")) path += "x";
  return path;
}
