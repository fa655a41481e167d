import { createReadStream } from "node:fs";
import { isAbsolute, posix, relative, sep } from "node:path";
import { createInterface } from "node:readline";
import { GuildError } from "../../protocol/index.js";

/**
 * A path as the repository names it: absolute paths are taken relative to `repoDir`, `a/./b` and `a/../b`
 * are resolved, and a path that leads outside the repository is a `config.invalid` error.
 */
export function repoRelativePath(repoDir: string, path: string): string {
  const rel = isAbsolute(path) ? relative(repoDir, path).split(sep).join("/") : path.replace(/\\/g, "/");
  const normal = posix
    .normalize(rel)
    .replace(/^\.\/+/, "")
    .replace(/\/+$/, "");
  if (normal === ".." || normal.startsWith("../") || posix.isAbsolute(normal)) {
    throw new GuildError("config.invalid", `${path} is outside the repository ${repoDir}`, {
      details: { file: path, repoDir },
    });
  }
  return normal === "." ? "" : normal;
}

/** Non-empty lines of a file, or of stdin for `-`; used for path lists too long for argv. */
export async function readPathList(from: string): Promise<string[]> {
  const input = from === "-" ? process.stdin : createReadStream(from);
  const paths: string[] = [];
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) if (line.trim() !== "") paths.push(line.trim());
  } catch (e) {
    throw new GuildError("config.invalid", `cannot read paths from ${from}`, {
      cause: e,
      details: { file: from },
    });
  }
  return paths;
}
