import { type Expression, Node, ts } from "ts-morph";

/** A piece of a string built from literals and interpolated expressions. */
export type Piece = { text: string } | { expr: Expression };

/**
 * Flattens a template literal or a `+` chain of strings into literal text and expressions;
 * undefined when the expression is neither.
 */
export function piecesOf(node: Node): Piece[] | undefined {
  if (Node.isTemplateExpression(node)) {
    const pieces: Piece[] = [{ text: node.getHead().getLiteralText() }];
    for (const span of node.getTemplateSpans()) {
      pieces.push({ expr: span.getExpression() }, { text: span.getLiteral().getLiteralText() });
    }
    return pieces;
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === ts.SyntaxKind.PlusToken) {
    const left = piecesOf(node.getLeft()) ?? [leaf(node.getLeft())];
    const right = piecesOf(node.getRight()) ?? [leaf(node.getRight())];
    // Only a chain that contains a string literal is string concatenation.
    const all = [...left, ...right];
    return all.some((p) => "text" in p) ? all : undefined;
  }
  return undefined;
}

function leaf(node: Expression): Piece {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node))
    return { text: node.getLiteralText() };
  return { expr: node };
}

/** Whether any piece is an expression, i.e. the string depends on values at run time. */
export function hasExpressions(pieces: readonly Piece[]): boolean {
  return pieces.some((p) => "expr" in p);
}

/** The literal text of all pieces, with expressions shown as `…`. */
export function staticText(pieces: readonly Piece[]): string {
  return pieces.map((p) => ("text" in p ? p.text : "…")).join("");
}
