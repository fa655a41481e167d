import { Node, type SourceFile, SyntaxKind } from "ts-morph";

/** One named declaration of a source file: a top-level statement or a class member. */
export interface Declaration {
  name: string;
  kind: string;
  startLine: number;
  endLine: number;
  /** The signature without the body, on one line. */
  header: string;
  node: Node;
}

const MAX_HEADER = 200;

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_HEADER ? `${flat.slice(0, MAX_HEADER)}…` : flat;
}

/** The text of a declaration up to its body, so the outline shows signatures, not implementations. */
function headerOf(node: Node): string {
  const body =
    node.getFirstChildByKind(SyntaxKind.Block) ??
    node.getFirstChildByKind(SyntaxKind.OpenBraceToken) ??
    node.getFirstDescendantByKind(SyntaxKind.ArrowFunction)?.getBody();
  const end = body && body.getStart() > node.getStart() ? body.getStart() : node.getEnd();
  return oneLine(node.getSourceFile().getFullText().slice(node.getStart(), end));
}

function describe(node: Node, name: string, kind: string): Declaration {
  return {
    name,
    kind,
    startLine: node.getStartLineNumber(),
    endLine: node.getEndLineNumber(),
    header: headerOf(node),
    node,
  };
}

function membersOf(node: Node, owner: string): Declaration[] {
  const members = Node.isClassDeclaration(node) || Node.isInterfaceDeclaration(node) ? node.getMembers() : [];
  return members.flatMap((member) => {
    const name = Node.isConstructorDeclaration(member)
      ? "constructor"
      : Node.hasName(member)
        ? member.getName()
        : "";
    return name ? [describe(member, `${owner}.${name}`, member.getKindName())] : [];
  });
}

/** The named declarations of a file, top level first, then class and interface members under `Owner.member`. */
export function declarationsOf(file: SourceFile): Declaration[] {
  const out: Declaration[] = [];
  for (const statement of file.getStatements()) {
    const kind = statement.getKindName();
    if (statement.getKind() === SyntaxKind.VariableStatement) {
      for (const decl of statement.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
        if (decl.getParent()?.getParent() !== statement) continue;
        out.push({ ...describe(statement, decl.getName(), "VariableStatement"), node: statement });
      }
      continue;
    }
    const name = statement.getFirstChildByKind(SyntaxKind.Identifier)?.getText();
    if (!name) continue;
    out.push(describe(statement, name, kind));
    if (Node.isClassDeclaration(statement)) out.push(...membersOf(statement, name));
  }
  return out;
}

/** A file's outline: one line per declaration with its line range and signature. */
export function outlineOf(file: SourceFile): string {
  const lines = declarationsOf(file).map((d) => {
    const indent = d.name.includes(".") ? "  " : "";
    return `${indent}L${d.startLine}-${d.endLine} ${d.header}`;
  });
  const imports = file.getImportDeclarations().length;
  if (imports > 0) lines.unshift(`(${imports} import${imports === 1 ? "" : "s"})`);
  return lines.join("\n");
}
