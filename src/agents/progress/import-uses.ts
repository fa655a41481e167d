import { posix } from "node:path";
import { Node, type SourceFile, SyntaxKind } from "ts-morph";
import type { ImportUse } from "../../protocol/index.js";

/** Line spans, 1-based and inclusive. */
export interface LineRange {
  start: number;
  end: number;
}

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/** The repository path a relative module specifier names, trying TypeScript's extension rules. */
export function resolveModule(
  fromPath: string,
  specifier: string,
  exists: (path: string) => boolean,
): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(fromPath), specifier));
  if (joined.startsWith("..")) return undefined;
  const stem = joined.replace(/\.(?:js|jsx|mjs|cjs)$/, "");
  const candidates = [
    joined,
    ...EXTENSIONS.map((e) => `${stem}${e}`),
    ...EXTENSIONS.map((e) => `${joined}/index${e}`),
  ];
  return candidates.find((c) => exists(c));
}

function within(line: number, ranges: readonly LineRange[]): boolean {
  return ranges.some((r) => line >= r.start && line <= r.end);
}

/**
 * The names a file's changed lines import from other modules of the repository: each identifier on a
 * changed line that an import binds, by its exported name (namespace imports by the member used).
 */
export function importUses(
  file: SourceFile,
  path: string,
  changed: readonly LineRange[],
  exists: (path: string) => boolean,
): ImportUse[] {
  const named = new Map<string, { module: string; symbol: string }>();
  const namespaces = new Map<string, string>();
  for (const decl of file.getImportDeclarations()) {
    const module = resolveModule(path, decl.getModuleSpecifierValue(), exists);
    if (!module) continue;
    const def = decl.getDefaultImport();
    if (def) named.set(def.getText(), { module, symbol: "default" });
    const ns = decl.getNamespaceImport();
    if (ns) namespaces.set(ns.getText(), module);
    for (const spec of decl.getNamedImports()) {
      const local = spec.getAliasNode()?.getText() ?? spec.getName();
      named.set(local, { module, symbol: spec.getName() });
    }
  }
  if (named.size === 0 && namespaces.size === 0) return [];
  const seen = new Set<string>();
  const out: ImportUse[] = [];
  for (const id of file.getDescendantsOfKind(SyntaxKind.Identifier)) {
    // An import line that changed names every binding on it; only the code that calls a name uses it.
    if (!within(id.getStartLineNumber(), changed) || id.getFirstAncestorByKind(SyntaxKind.ImportDeclaration))
      continue;
    const text = id.getText();
    let hit = named.get(text);
    if (!hit && namespaces.has(text)) {
      const parent = id.getParent();
      if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === id)
        hit = { module: namespaces.get(text) as string, symbol: parent.getName() };
    }
    if (!hit) continue;
    const key = `${hit.module}\0${hit.symbol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: hit.module, symbol: hit.symbol, in: path });
  }
  return out;
}
