import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

const IGNORED_DIRS = new Set([".git", "node_modules", "dist", ".guild", "coverage"]);

function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? "";
    if (c === "*" && glob[i + 1] === "*") {
      // `**/` matches zero or more directories; a trailing `**` matches everything below.
      const slash = glob[i + 2] === "/";
      out += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** Whether a workdir-relative path is matched by a glob, or lies at or under a plain path prefix. */
export function matchesPattern(path: string, pattern: string): boolean {
  const p = pattern.replace(/^\.\//, "").replace(/^\//, "");
  if (/[*?]/.test(p)) {
    // A pattern without a slash matches at any depth, as in CODEOWNERS and .gitignore.
    return globToRegExp(p).test(path) || (!p.includes("/") && globToRegExp(`**/${p}`).test(path));
  }
  const prefix = p.replace(/\/$/, "");
  return prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
}

/** Whether a path is in scope: every path is when no patterns are given. */
export function inScope(path: string, patterns: readonly string[] | undefined): boolean {
  return !patterns || patterns.length === 0 || patterns.some((p) => matchesPattern(path, p));
}

/** Every file under `root` (workdir-relative, `/`-separated, sorted), skipping VCS and build folders. */
export function listFiles(root: string, accept: (path: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!IGNORED_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile()) {
        const rel = relative(root, full).split(sep).join("/");
        if (accept(rel)) out.push(rel);
      }
    }
  };
  walk(root);
  return out.sort();
}

/** Whether a path is TypeScript source (not a declaration file). */
export function isTsSource(path: string): boolean {
  return /\.tsx?$/.test(path) && !path.endsWith(".d.ts");
}
