import { type CallExpression, type Expression, Node, ts } from "ts-morph";
import type { RuleContext } from "./security-rule.js";
import { hasExpressions, type Piece, piecesOf, staticText } from "./string-pieces.js";
import { dropUnusedImport, ensureNamedImport } from "./ts-project.js";

const CHILD_PROCESS = ["node:child_process", "child_process"];
const REPLACEMENT: Record<string, string> = { exec: "execFile", execSync: "execFileSync" };
// Text that only a shell understands; a command using it cannot become an argv without changing meaning.
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?~{}[\]#]/;

/** Which local names (or `ns.` prefixes) refer to child_process's exec and execSync. */
function execBindings(ctx: RuleContext): Map<string, string> {
  const bindings = new Map<string, string>();
  for (const decl of ctx.sf.getImportDeclarations()) {
    if (!CHILD_PROCESS.includes(decl.getModuleSpecifierValue())) continue;
    for (const named of decl.getNamedImports()) {
      if (named.getName() in REPLACEMENT)
        bindings.set(named.getAliasNode()?.getText() ?? named.getName(), named.getName());
    }
    const ns = decl.getNamespaceImport()?.getText() ?? decl.getDefaultImport()?.getText();
    if (ns) for (const name of Object.keys(REPLACEMENT)) bindings.set(`${ns}.${name}`, name);
  }
  return bindings;
}

function argText(pieces: readonly Piece[]): string {
  const only = pieces[0];
  if (pieces.length === 1 && only) {
    if ("text" in only) return JSON.stringify(only.text);
    return isStringTyped(only.expr) ? only.expr.getText() : `String(${only.expr.getText()})`;
  }
  const body = pieces.map((p) =>
    "text" in p ? p.text.replace(/[`$\\]/g, "\\$&") : `\${${p.expr.getText()}}`,
  );
  return `\`${body.join("")}\``;
}

function isStringTyped(expr: Expression): boolean {
  return expr.getType().isString() || expr.getType().isStringLiteral();
}

/** Splits command pieces on whitespace into argv words; undefined when the command needs a shell. */
export function toArgv(pieces: readonly Piece[]): string[] | undefined {
  if (pieces.some((p) => "text" in p && SHELL_SYNTAX.test(p.text))) return undefined;
  const words: Piece[][] = [[]];
  for (const piece of pieces) {
    if ("expr" in piece) {
      words[words.length - 1]?.push(piece);
      continue;
    }
    const parts = piece.text.split(/\s+/);
    parts.forEach((part, i) => {
      if (i > 0) words.push([]);
      if (part) words[words.length - 1]?.push({ text: part });
    });
  }
  const nonEmpty = words.filter((w) => w.length > 0);
  const program = nonEmpty[0];
  if (program?.length !== 1 || !("text" in (program[0] ?? {}))) return undefined;
  return nonEmpty.map(argText);
}

/** `exec`/`execSync` of an interpolated command line becomes `execFile`/`execFileSync` with an argv array. */
export function execRule(ctx: RuleContext): void {
  const bindings = execBindings(ctx);
  if (bindings.size === 0) return;
  const calls = ctx.sf
    .getDescendantsOfKind(ts.SyntaxKind.CallExpression)
    .filter((c) => bindings.has(c.getExpression().getText()))
    .reverse()
    .map((call) => ({ call, line: call.getStartLineNumber() }));
  const replacedImports = new Set<string>();
  for (const { call, line } of calls) {
    const original = bindings.get(call.getExpression().getText()) ?? "exec";
    const first = call.getArguments()[0];
    const pieces = first ? piecesOf(first) : undefined;
    if (!first || !pieces || !hasExpressions(pieces)) {
      if (first && !Node.isStringLiteral(first) && !Node.isNoSubstitutionTemplateLiteral(first)) {
        ctx.report(
          line,
          "no-shell-exec",
          "medium",
          `${original} runs a computed command line in a shell`,
          false,
        );
      }
      continue;
    }
    const argv = toArgv(pieces);
    if (!argv) {
      const shown = staticText(pieces);
      ctx.report(
        line,
        "no-shell-exec",
        "high",
        `${original} of \`${shown}\` interpolates input into a shell command that uses shell syntax; not rewritten`,
        false,
      );
      continue;
    }
    rewrite(ctx, call, original, argv);
    replacedImports.add(original);
    ctx.report(
      line,
      "no-shell-exec",
      "high",
      `${original} with interpolated input replaced by ${REPLACEMENT[original]} with an argv array`,
      true,
    );
  }
  for (const name of replacedImports) dropUnusedImport(ctx.sf, CHILD_PROCESS, name);
}

function rewrite(ctx: RuleContext, call: CallExpression, original: string, argv: string[]): void {
  const callee = call.getExpression();
  const target = REPLACEMENT[original] ?? "execFile";
  const calleeText = Node.isPropertyAccessExpression(callee)
    ? `${callee.getExpression().getText()}.${target}`
    : ensureNamedImport(ctx.sf, CHILD_PROCESS, target);
  const [program, ...args] = argv;
  // Edit in place, so the callback and options keep their formatting.
  callee.replaceWithText(calleeText);
  call.getArguments()[0]?.replaceWithText(program ?? "");
  call.insertArgument(1, `[${args.join(", ")}]`);
}
