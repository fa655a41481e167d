import { dirname, join, normalize } from "node:path";
import {
  type ArrowFunction,
  type FunctionDeclaration,
  type FunctionExpression,
  Node,
  type SourceFile,
  ts,
} from "ts-morph";

const IMPURE_MODULES =
  /^(?:node:)?(?:fs|fs\/promises|child_process|net|http|https|http2|dgram|dns|tls|os|process|worker_threads|cluster|crypto|readline|vm)$/;
const PURE_BUILTINS = new Set([
  "path",
  "url",
  "util",
  "assert",
  "querystring",
  "string_decoder",
  "buffer",
  "events",
]);
const IMPURE_CALLS =
  /\b(?:Math\.random|Date\.now|performance\.now|crypto\.|process\.|console\.|fetch|setTimeout|setInterval|eval)\b|\bnew Date\(\s*\)/;

/** Why importing this module is not side-effect free (I/O, randomness, code run on import), or undefined. */
export function moduleImpurity(
  sf: SourceFile,
  load: (path: string) => SourceFile | undefined,
  seen = new Set<string>(),
): string | undefined {
  const path = sf.getFilePath();
  if (seen.has(path)) return undefined;
  seen.add(path);
  for (const decl of sf.getImportDeclarations()) {
    if (decl.isTypeOnly()) continue;
    const spec = decl.getModuleSpecifierValue();
    if (IMPURE_MODULES.test(spec)) return `imports ${spec}`;
    if (spec.startsWith("node:") || PURE_BUILTINS.has(spec)) continue;
    if (!spec.startsWith(".")) return `imports the package ${spec}, which the skill does not inspect`;
    const target = load(normalize(join(dirname(path), spec.replace(/\.js$/, ".ts"))));
    if (!target) return `imports ${spec}, which the skill could not read`;
    const inner = moduleImpurity(target, load, seen);
    if (inner) return `imports ${spec}, which ${inner}`;
  }
  for (const statement of sf.getStatements()) {
    const declarative =
      Node.isImportDeclaration(statement) ||
      Node.isExportDeclaration(statement) ||
      Node.isFunctionDeclaration(statement) ||
      Node.isClassDeclaration(statement) ||
      Node.isInterfaceDeclaration(statement) ||
      Node.isTypeAliasDeclaration(statement) ||
      Node.isEnumDeclaration(statement) ||
      (Node.isModuleDeclaration(statement) && statement.hasDeclareKeyword()) ||
      Node.isVariableStatement(statement) ||
      // `export default name;` names a declaration; it runs nothing.
      (Node.isExportAssignment(statement) && Node.isIdentifier(statement.getExpression()));
    if (!declarative) return `runs code when imported (line ${statement.getStartLineNumber()})`;
  }
  return undefined;
}

type FunctionLike = FunctionDeclaration | ArrowFunction | FunctionExpression;

/** Whether a declaration is module-level mutable state (a `let`, or a const Map/Set/array/object). */
function isModuleState(decl: Node, home: SourceFile): boolean {
  // Globals such as Math or JSON are declared in lib files; only this module's own variables count.
  if (!Node.isVariableDeclaration(decl) || decl.getSourceFile() !== home) return false;
  const statement = decl.getVariableStatement();
  if (!statement || !Node.isSourceFile(statement.getParent())) return false;
  if (statement.getDeclarationKind() !== "const") return true;
  const init = decl.getInitializer();
  return (
    !!init &&
    (Node.isNewExpression(init) ||
      Node.isArrayLiteralExpression(init) ||
      Node.isObjectLiteralExpression(init))
  );
}

/** Why calling this function may have effects or differ between runs, or undefined when it looks pure. */
export function functionImpurity(fn: FunctionLike): string | undefined {
  if (fn.isAsync()) return "it is async";
  const returnType = fn.getReturnType();
  if (returnType.getSymbol()?.getName() === "Promise") return "it returns a Promise";
  const body = fn.getBody()?.getText() ?? "";
  const call = body.match(IMPURE_CALLS);
  if (call) return `it uses ${call[0]}`;
  for (const id of fn.getDescendantsOfKind(ts.SyntaxKind.Identifier)) {
    const decls = id.getSymbol()?.getDeclarations() ?? [];
    if (decls.some((d) => isModuleState(d, fn.getSourceFile())))
      return `it reads or changes module state (${id.getText()})`;
  }
  return undefined;
}
