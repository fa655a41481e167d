import { Node, Project, type SourceFile, SyntaxKind } from "ts-morph";

/** Files whose exported surface guild reads. */
export const SURFACE_SOURCE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

const MAX_SIGNATURE = 400;

function flat(text: string): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > MAX_SIGNATURE ? `${one.slice(0, MAX_SIGNATURE - 1)}…` : one;
}

/** The text of a declaration without its body and without `export`/`default`: its signature. */
function headerOf(node: Node): string {
  const body = Node.isBodyable(node) || Node.isBodied(node) ? node.getBody() : undefined;
  const end = body ? body.getStart() : node.getEnd();
  const text = node.getSourceFile().getFullText().slice(node.getStart(), end);
  return flat(text.replace(/^(?:export\s+)?(?:default\s+)?(?:declare\s+)?/, ""));
}

/** A class's signature: its heading and its public members' headings, so a private edit changes nothing. */
function classSignature(node: Node): string {
  if (!Node.isClassDeclaration(node)) return headerOf(node);
  const text = node.getText();
  const open = text.indexOf("{");
  const head = flat(
    text.slice(0, open >= 0 ? open : text.length).replace(/^(?:export\s+)?(?:default\s+)?/, ""),
  );
  const members = node
    .getMembers()
    .filter(
      (m) =>
        !(
          Node.isModifierable(m) &&
          (m.hasModifier(SyntaxKind.PrivateKeyword) || m.hasModifier(SyntaxKind.ProtectedKeyword))
        ),
    )
    .filter((m) => !m.getText().startsWith("#"))
    .map((m) => headerOf(m).replace(/;$/, ""));
  return flat(`${head} { ${members.join("; ")} }`);
}

/** A variable's signature: its type if written, else a function initializer's parameters and return type. */
function variableSignature(kind: string, decl: Node): string {
  if (!Node.isVariableDeclaration(decl)) return flat(decl.getText());
  const type = decl.getTypeNode();
  if (type) return flat(`${kind} ${decl.getName()}: ${type.getText()}`);
  const init = decl.getInitializer();
  if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) {
    const params = init.getParameters().map((p) => p.getText());
    const ret = init.getReturnTypeNode()?.getText();
    const asyncWord = init.isAsync() ? "async " : "";
    return flat(`${kind} ${decl.getName()} = ${asyncWord}(${params.join(", ")})${ret ? `: ${ret}` : ""}`);
  }
  return `${kind} ${decl.getName()}`;
}

/** Exported by its own keyword; a later `export { x as y }` exports it under another name, handled there. */
function isExported(node: Node): boolean {
  return Node.isExportable(node) && node.hasExportKeyword();
}

/** Exported names of a module and their signatures (names as importers see them; `default` for the default). */
export function surfaceOf(file: SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  const local = new Map<string, string>();
  const add = (name: string, signature: string, exported: boolean) => {
    local.set(name, local.has(name) ? `${local.get(name)}; ${signature}` : signature);
    if (exported) out.set(name, local.get(name) as string);
  };
  for (const statement of file.getStatements()) {
    const exported = isExported(statement);
    const isDefault = Node.isExportable(statement) && statement.hasDefaultKeyword();
    if (Node.isVariableStatement(statement)) {
      const kind = statement.getDeclarationKind();
      for (const decl of statement.getDeclarations())
        add(decl.getName(), variableSignature(kind, decl), exported);
      continue;
    }
    if (
      Node.isFunctionDeclaration(statement) ||
      Node.isClassDeclaration(statement) ||
      Node.isInterfaceDeclaration(statement) ||
      Node.isTypeAliasDeclaration(statement) ||
      Node.isEnumDeclaration(statement)
    ) {
      const signature =
        Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement)
          ? Node.isClassDeclaration(statement)
            ? classSignature(statement)
            : headerOf(statement)
          : flat(statement.getText().replace(/^(?:export\s+)?(?:declare\s+)?/, ""));
      const name = statement.getName();
      if (isDefault) out.set("default", signature);
      if (name) add(name, signature, exported && !isDefault);
    }
  }
  for (const decl of file.getExportDeclarations()) {
    const from = decl.getModuleSpecifierValue();
    if (decl.isNamespaceExport()) {
      out.set(`* from ${from}`, `export * from ${from}`);
      continue;
    }
    for (const spec of decl.getNamedExports()) {
      const name = spec.getName();
      const alias = spec.getAliasNode()?.getText() ?? name;
      out.set(alias, from ? `export { ${name} } from ${from}` : (local.get(name) ?? name));
    }
  }
  for (const assignment of file.getExportAssignments()) {
    if (!assignment.isExportEquals()) out.set("default", "export default");
  }
  return out;
}

/** Parses module texts without touching the disk; one parser serves a task's whole run. */
export class SurfaceParser {
  readonly #project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { allowJs: true, noEmit: true },
    skipFileDependencyResolution: true,
  });

  /** The source file of `text` at `path`, replacing any earlier text of that path. */
  parse(path: string, text: string): SourceFile {
    return this.#project.createSourceFile(`/${path}`, text, { overwrite: true });
  }

  /** The exported surface of a module's text. */
  surface(path: string, text: string): Map<string, string> {
    return surfaceOf(this.parse(path, text));
  }
}
