import { dirname, relative } from "node:path";
import { Node, type SourceFile, SyntaxKind } from "ts-morph";
import type { RuleContext } from "./security-rule.js";
import { ensureNamedImport, wordsOf } from "./ts-project.js";

/** Names of values that an attacker may probe byte by byte when they are compared with `===`. */
const MAC_WORDS = new Set(["signature", "hmac", "digest"]);

/** An exported `(a: string, b: string) => boolean` the project documents as constant-time. */
export interface ConstantTimeEqual {
  name: string;
  path: string;
}

/** The project's constant-time string comparison, read before any rule edits a file (the names at the task's base). */
export function findConstantTimeEqual(
  sources: ReadonlyMap<string, SourceFile>,
): ConstantTimeEqual | undefined {
  for (const [path, sf] of sources) {
    for (const fn of sf.getFunctions()) {
      const name = fn.getName();
      if (!name || !fn.isExported() || fn.getParameters().length !== 2) continue;
      if (fn.getReturnTypeNode()?.getText() !== "boolean") continue;
      if (!fn.getParameters().every((p) => p.getTypeNode()?.getText() === "string")) continue;
      const doc = fn
        .getJsDocs()
        .map((d) => d.getDescription())
        .join(" ");
      if (/constant[- ]time/i.test(doc)) return { name, path };
    }
  }
  return undefined;
}

function specifier(from: string, to: string): string {
  const rel = relative(dirname(from), to)
    .replace(/\\/g, "/")
    .replace(/\.tsx?$/, ".js");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/** `signature === expectedSignature` (strings) becomes a call of the project's constant-time comparison. */
export function compareRule(ctx: RuleContext): void {
  const helper = ctx.constantTimeEqual;
  if (helper?.path === ctx.file) return;
  const compares = ctx.sf.getDescendantsOfKind(SyntaxKind.BinaryExpression).filter((b) => {
    const op = b.getOperatorToken().getKind();
    if (op !== SyntaxKind.EqualsEqualsEqualsToken && op !== SyntaxKind.ExclamationEqualsEqualsToken)
      return false;
    const sides = [b.getLeft(), b.getRight()];
    return (
      // Without the project's type libraries a call's result may be `any`; one side must be a known string.
      sides.every((s) => Node.isIdentifier(s) && (s.getType().isString() || s.getType().isAny())) &&
      sides.some((s) => s.getType().isString()) &&
      sides.some((s) => wordsOf(s.getText()).some((w) => MAC_WORDS.has(w)))
    );
  });
  // Lines are taken before any edit: an added import shifts everything below it.
  const found = compares.reverse().map((compare) => ({ compare, line: compare.getStartLineNumber() }));
  for (const { compare, line } of found) {
    if (compare.wasForgotten()) continue;
    if (!helper) {
      ctx.report(
        line,
        "no-timing-unsafe-compare",
        "medium",
        "=== leaks how much of a signature matched; use crypto.timingSafeEqual",
        false,
      );
      continue;
    }
    const name = ensureNamedImport(ctx.sf, [specifier(ctx.file, helper.path)], helper.name);
    const negated = compare.getOperatorToken().getKind() === SyntaxKind.ExclamationEqualsEqualsToken;
    compare.replaceWithText(
      `${negated ? "!" : ""}${name}(${compare.getLeft().getText()}, ${compare.getRight().getText()})`,
    );
    ctx.report(
      line,
      "no-timing-unsafe-compare",
      "high",
      `=== leaked how much of a signature matched; now ${helper.name} from ${helper.path}`,
      true,
    );
  }
}
