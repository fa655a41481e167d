import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A public entry point of a package: its import name (`pkg`, `pkg/sub`) and the source module behind it. */
export interface PackageEntry {
  specifier: string;
  file: string;
}

/**
 * The package's public entry points (package.json `exports`, else `module`/`main`/`types`), each mapped to
 * the source module it is built from (`./esm/index.js` → `src/index.ts`); empty when none maps.
 * @example packageEntries("/repo", new Set(["src/index.ts"])) // [{ specifier: "ts-dedent", file: "src/index.ts" }]
 */
export function packageEntries(workdir: string, sources: ReadonlySet<string>): PackageEntry[] {
  const file = join(workdir, "package.json");
  if (!existsSync(file)) return [];
  let pkg: { name?: string; exports?: unknown; main?: string; module?: string; types?: string };
  try {
    pkg = JSON.parse(readFileSync(file, "utf8")) as typeof pkg;
  } catch {
    return [];
  }
  const name = pkg.name ?? "(package)";
  const subpaths = new Map<string, string[]>();
  const add = (subpath: string, target: unknown) => {
    const leaves = subpaths.get(subpath) ?? [];
    collectLeaves(target, leaves);
    subpaths.set(subpath, leaves);
  };
  const exp = pkg.exports;
  if (exp !== undefined && exp !== null) {
    const keys = typeof exp === "object" && !Array.isArray(exp) ? Object.keys(exp) : [];
    if (keys.length > 0 && keys.every((k) => k.startsWith("."))) {
      for (const key of keys) add(key, (exp as Record<string, unknown>)[key]);
    } else add(".", exp);
  } else
    add(
      ".",
      [pkg.module, pkg.main, pkg.types].filter((v) => typeof v === "string"),
    );
  const entries: PackageEntry[] = [];
  for (const [subpath, leaves] of subpaths) {
    const source = leaves.map((leaf) => sourceOf(leaf, sources)).find((s) => s !== undefined);
    if (source === undefined || entries.some((e) => e.file === source)) continue;
    entries.push({
      specifier: subpath === "." ? name : `${name}/${subpath.replace(/^\.\//, "")}`,
      file: source,
    });
  }
  return entries;
}

function collectLeaves(target: unknown, into: string[]): void {
  if (typeof target === "string") into.push(target);
  else if (Array.isArray(target)) for (const t of target) collectLeaves(t, into);
  else if (target && typeof target === "object")
    for (const v of Object.values(target)) collectLeaves(v, into);
}

/** The source module a built file comes from: same path under src/ with a .ts extension. */
function sourceOf(leaf: string, sources: ReadonlySet<string>): string | undefined {
  const rel = leaf.replace(/^\.\//, "").replace(/\.d\.[cm]?ts$|\.[cm]?js$|\.[cm]?ts$/, "");
  const parts = rel.split("/");
  const candidates = [rel, ["src", ...parts.slice(1)].join("/"), `src/${rel}`];
  for (const c of candidates) {
    for (const ext of [".ts", ".tsx", "/index.ts"]) if (sources.has(`${c}${ext}`)) return `${c}${ext}`;
  }
  return undefined;
}
