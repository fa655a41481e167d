import { join } from "node:path";
import {
  type ImportDeclaration,
  ModuleKind,
  ModuleResolutionKind,
  type Node,
  Project,
  ScriptTarget,
  type SourceFile,
  ts,
} from "ts-morph";

/** A ts-morph project over files of a worktree, edited in memory only: nothing is saved. */
export function loadSources(
  workdir: string,
  files: readonly string[],
): { project: Project; sources: Map<string, SourceFile> } {
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: {
      target: ScriptTarget.ES2022,
      module: ModuleKind.NodeNext,
      moduleResolution: ModuleResolutionKind.NodeNext,
      strict: true,
      jsx: ts.JsxEmit.Preserve,
      skipLibCheck: true,
      noEmit: true,
    },
  });
  const sources = new Map<string, SourceFile>();
  for (const file of files) sources.set(file, project.addSourceFileAtPath(join(workdir, file)));
  return { project, sources };
}

function findImport(sf: SourceFile, specifiers: readonly string[]): ImportDeclaration | undefined {
  return sf
    .getImportDeclarations()
    .find(
      (d) => specifiers.includes(d.getModuleSpecifierValue()) && !d.isTypeOnly() && !d.getNamespaceImport(),
    );
}

/** Makes `name` importable from the first of `specifiers` (reusing an existing import) and returns its local name. */
export function ensureNamedImport(sf: SourceFile, specifiers: readonly string[], name: string): string {
  const decl = findImport(sf, specifiers);
  const existing = decl?.getNamedImports().find((n) => n.getName() === name);
  if (existing) return existing.getAliasNode()?.getText() ?? name;
  if (decl) decl.addNamedImport(name);
  else {
    const index = sf.getImportDeclarations().length;
    sf.insertImportDeclaration(index, { moduleSpecifier: specifiers[0] ?? name, namedImports: [name] });
  }
  return name;
}

/** Drops a named import that nothing in the file refers to any more, and its declaration when empty. */
export function dropUnusedImport(sf: SourceFile, specifiers: readonly string[], name: string): void {
  for (const decl of sf.getImportDeclarations()) {
    if (!specifiers.includes(decl.getModuleSpecifierValue())) continue;
    for (const named of decl.getNamedImports()) {
      if (named.getName() !== name) continue;
      const local = named.getAliasNode()?.getText() ?? name;
      const used = sf
        .getDescendantsOfKind(ts.SyntaxKind.Identifier)
        .some((id) => id.getText() === local && !id.getFirstAncestorByKind(ts.SyntaxKind.ImportDeclaration));
      if (!used) named.remove();
    }
    if (decl.getNamedImports().length === 0 && !decl.getDefaultImport() && !decl.getNamespaceImport())
      decl.remove();
  }
}

/** The name of the function, method or variable a node sits in, nearest first, for context heuristics. */
export function enclosingNames(node: Node): string[] {
  const names: string[] = [];
  for (const a of node.getAncestors()) {
    const named = a as unknown as { getName?: () => string | undefined };
    if (
      a.isKind(ts.SyntaxKind.FunctionDeclaration) ||
      a.isKind(ts.SyntaxKind.MethodDeclaration) ||
      a.isKind(ts.SyntaxKind.VariableDeclaration) ||
      a.isKind(ts.SyntaxKind.PropertyAssignment) ||
      a.isKind(ts.SyntaxKind.PropertyDeclaration) ||
      a.isKind(ts.SyntaxKind.ClassDeclaration)
    ) {
      const name = named.getName?.();
      if (name) names.push(name);
    }
  }
  return names;
}

/** Splits `newSessionToken` / `API_KEY` / `api-key` into lower-case words. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}
