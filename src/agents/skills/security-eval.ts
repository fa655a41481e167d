import { dirname, posix } from "node:path";
import { Node, ts } from "ts-morph";
import { SAFE_ARITHMETIC_FILE, SAFE_ARITHMETIC_SOURCE } from "./safe-arithmetic-source.js";
import type { RuleContext } from "./security-rule.js";
import { enclosingNames, ensureNamedImport } from "./ts-project.js";

const ARITHMETIC_CONTEXT = /calc|arith|math|expr|formula|evaluat/i;

/** `eval(x)` in calculator-like code becomes `evaluateArithmetic(x)` from an added module; other eval and `new Function` are reported. */
export function evalRule(ctx: RuleContext): void {
  const calls = ctx.sf
    .getDescendantsOfKind(ts.SyntaxKind.CallExpression)
    .filter((c) => Node.isIdentifier(c.getExpression()) && c.getExpression().getText() === "eval")
    .reverse()
    .map((call) => ({ call, line: call.getStartLineNumber() }));
  const functions = ctx.sf
    .getDescendantsOfKind(ts.SyntaxKind.NewExpression)
    .filter((n) => n.getExpression().getText() === "Function")
    .map((n) => n.getStartLineNumber());
  for (const { call, line } of calls) {
    const context = [...enclosingNames(call), ctx.file];
    const fixable = call.getArguments().length === 1 && context.some((n) => ARITHMETIC_CONTEXT.test(n));
    if (!fixable) {
      ctx.report(
        line,
        "no-eval",
        "high",
        "eval runs arbitrary code; no arithmetic context, so it is not rewritten",
        false,
      );
      continue;
    }
    const modulePath = posix.join(dirname(ctx.file), SAFE_ARITHMETIC_FILE);
    ctx.addModule(modulePath, SAFE_ARITHMETIC_SOURCE, "a safe arithmetic evaluator that replaces eval");
    const local = ensureNamedImport(
      ctx.sf,
      [`./${SAFE_ARITHMETIC_FILE.replace(/\.ts$/, ".js")}`],
      "evaluateArithmetic",
    );
    call.getExpression().replaceWithText(local);
    ctx.report(
      line,
      "no-eval",
      "high",
      "eval of an arithmetic expression replaced by evaluateArithmetic",
      true,
    );
  }
  for (const line of functions) {
    ctx.report(
      line,
      "no-new-function",
      "high",
      "new Function compiles code at run time; rewrite it by hand",
      false,
    );
  }
}
