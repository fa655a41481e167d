import { type CallExpression, Node, ts } from "ts-morph";
import type { RuleContext } from "./security-rule.js";
import { enclosingNames, ensureNamedImport, wordsOf } from "./ts-project.js";

const TOKEN_WORDS = new Set([
  "token",
  "session",
  "secret",
  "nonce",
  "salt",
  "password",
  "key",
  "id",
  "uuid",
  "otp",
  "csrf",
  "auth",
  "code",
  "sid",
]);

function isMathRandom(call: CallExpression): boolean {
  return call.getExpression().getText() === "Math.random" && call.getArguments().length === 0;
}

/** The whole value the random number feeds: a return expression or a variable's initializer. */
function valueRoot(call: CallExpression): Node | undefined {
  for (const a of call.getAncestors()) {
    if (Node.isReturnStatement(a)) return a.getExpression();
    if (Node.isVariableDeclaration(a)) return a.getInitializer();
    if (Node.isArrowFunction(a)) return a.getBody();
    if (Node.isFunctionLikeDeclaration(a) || Node.isBlock(a)) return undefined;
  }
  return undefined;
}

/** `Math.random()` that makes a token, id or session value is replaced by `randomBytes(16).toString("hex")` when the value is a string. */
export function randomRule(ctx: RuleContext): void {
  const handled = new Set<Node>();
  const calls = ctx.sf
    .getDescendantsOfKind(ts.SyntaxKind.CallExpression)
    .filter(isMathRandom)
    .reverse()
    // Lines are taken before any edit: an added import shifts everything below it.
    .map((call) => ({ call, line: call.getStartLineNumber() }));
  for (const { call, line } of calls) {
    if (call.wasForgotten()) continue;
    const names = enclosingNames(call);
    const hint = names.find((n) => wordsOf(n).some((w) => TOKEN_WORDS.has(w)));
    if (!hint) continue;
    const root = valueRoot(call);
    if (root && handled.has(root)) continue;
    if (!root?.getType().isString()) {
      ctx.report(
        line,
        "no-weak-random",
        "medium",
        `Math.random() feeds ${hint}; use crypto.randomInt or randomBytes`,
        false,
      );
      continue;
    }
    handled.add(root);
    const random = ensureNamedImport(ctx.sf, ["node:crypto", "crypto"], "randomBytes");
    root.replaceWithText(`${random}(16).toString("hex")`);
    ctx.report(
      line,
      "no-weak-random",
      "high",
      `Math.random() made ${hint} guessable; now crypto randomBytes`,
      true,
    );
  }
}
