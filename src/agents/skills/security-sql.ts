import { Node, ts } from "ts-morph";
import type { RuleContext } from "./security-rule.js";
import { hasExpressions, type Piece, piecesOf } from "./string-pieces.js";

const SQL_START = /^\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\b/i;
const QUERY_METHODS = new Set(["query", "execute", "all", "get", "run", "prepare", "exec", "each"]);

/** Turns pieces into `?` placeholders and parameters; undefined when an interpolation is not a whole value. */
export function parameterise(pieces: readonly Piece[]): { sql: string; params: string[] } | undefined {
  let sql = "";
  const params: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (!piece) continue;
    if ("text" in piece) {
      sql += piece.text;
      continue;
    }
    const after = pieces[i + 1];
    const afterText = after && "text" in after ? after.text : "";
    if (sql.endsWith("'") && afterText.startsWith("'")) {
      // A quoted string value: the quotes go, the value becomes a parameter.
      sql = sql.slice(0, -1);
      pieces = [...pieces.slice(0, i + 1), { text: afterText.slice(1) }, ...pieces.slice(i + 2)];
    } else if (/['"%]$/.test(sql) || /^['"%]/.test(afterText) || !piece.expr.getType().isNumber()) {
      // Part of a literal (LIKE '%x%'), or an unquoted non-number such as a column name: not a value.
      return undefined;
    }
    sql += "?";
    params.push(piece.expr.getText());
  }
  return { sql, params };
}

/** SQL built by concatenation or a template becomes a parameterised call when the call shape allows it. */
export function sqlRule(ctx: RuleContext): void {
  const calls = ctx.sf
    .getDescendantsOfKind(ts.SyntaxKind.CallExpression)
    .reverse()
    .map((call) => ({ call, line: call.getStartLineNumber() }));
  for (const { call, line } of calls) {
    const first = call.getArguments()[0];
    const pieces = first ? piecesOf(first) : undefined;
    const head = pieces?.[0];
    if (
      !first ||
      !pieces ||
      !head ||
      !("text" in head) ||
      !SQL_START.test(head.text) ||
      !hasExpressions(pieces)
    )
      continue;
    const callee = call.getExpression();
    const method = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
    const result =
      call.getArguments().length === 1 && QUERY_METHODS.has(method) ? parameterise(pieces) : undefined;
    if (!result) {
      ctx.report(
        line,
        "no-sql-concat",
        "high",
        "SQL built from input by concatenation; use placeholders and parameters",
        false,
      );
      continue;
    }
    first.replaceWithText(JSON.stringify(result.sql));
    call.addArgument(`[${result.params.join(", ")}]`);
    ctx.report(
      line,
      "no-sql-concat",
      "high",
      "SQL built by concatenation now uses ? placeholders and parameters",
      true,
    );
  }
}
