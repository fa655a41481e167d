import { Node, SyntaxKind } from "ts-morph";
import type { PeerDirective } from "../../protocol/index.js";
import { resolveModule, SurfaceParser } from "../progress/index.js";

type Overlap = NonNullable<PeerDirective["overlap"]>;

/**
 * A file's text with every use of a renamed import switched to its new name (the import and the
 * code that calls it), or undefined when the file imports none of the renamed exports.
 */
export function adaptToRenames(
  path: string,
  text: string,
  overlaps: readonly Overlap[],
  exists: (path: string) => boolean,
): string | undefined {
  const renames = overlaps.filter((o) => o.change === "renamed" && o.renamedTo);
  if (renames.length === 0) return undefined;
  const file = new SurfaceParser().parse(path, text);
  const edits: { start: number; end: number; text: string }[] = [];
  const locals = new Map<string, string>();
  for (const decl of file.getImportDeclarations()) {
    const module = resolveModule(path, decl.getModuleSpecifierValue(), exists);
    for (const spec of decl.getNamedImports()) {
      const rename = renames.find((o) => o.path === module && o.symbol === spec.getName());
      if (!rename?.renamedTo) continue;
      // An aliased import keeps its local name: only the imported name changes.
      if (!spec.getAliasNode()) locals.set(spec.getName(), rename.renamedTo);
      const name = spec.getNameNode();
      edits.push({ start: name.getStart(), end: name.getEnd(), text: rename.renamedTo });
    }
  }
  if (edits.length === 0) return undefined;
  for (const id of file.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const to = locals.get(id.getText());
    if (!to || id.getFirstAncestorByKind(SyntaxKind.ImportDeclaration)) continue;
    const parent = id.getParent();
    // `x.legacyHash` and `{ legacyHash: 1 }` name something else.
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) continue;
    if (Node.isPropertyAssignment(parent) && parent.getNameNode() === id) continue;
    edits.push({ start: id.getStart(), end: id.getEnd(), text: to });
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    out = `${out.slice(0, edit.start)}${edit.text}${out.slice(edit.end)}`;
  return out;
}
