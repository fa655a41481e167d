import { Node, ts } from "ts-morph";
import type { RuleContext } from "./security-rule.js";
import { ensureNamedImport, wordsOf } from "./ts-project.js";

const SECRET_WORDS = new Set([
  "secret",
  "token",
  "password",
  "passwd",
  "pwd",
  "credential",
  "credentials",
  "apikey",
]);
// Names that hold the *name* of a secret (a header, an env var), not the secret itself.
const NOT_A_VALUE = new Set([
  "header",
  "name",
  "prefix",
  "field",
  "param",
  "url",
  "path",
  "env",
  "var",
  "type",
  "length",
]);
const KEY_SHAPED =
  /^(?:sk|pk|rk)_(?:live|test)_|^gh[pousr]_|^AKIA[0-9A-Z]{12}|^xox[abpr]-|^AIza|^eyJ[\w-]+\.[\w-]+\./;

/** Whether a variable or property name says it holds a secret (`JWT_SECRET`, `apiKey`, `dbPassword`). */
export function isSecretName(name: string): boolean {
  const words = wordsOf(name);
  const last = words[words.length - 1] ?? "";
  if (NOT_A_VALUE.has(last)) return false;
  const joined = words.join("");
  return (
    words.some((w) => SECRET_WORDS.has(w)) ||
    joined.endsWith("apikey") ||
    (last === "key" && words.length > 1)
  );
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** Whether a string looks like a real credential rather than a placeholder or a label. */
export function isSecretValue(value: string): boolean {
  if (KEY_SHAPED.test(value)) return true;
  return value.length >= 12 && !/\s/.test(value) && /\d/.test(value) && entropy(value) >= 3.2;
}

/** The environment variable that should hold the value of `name`. */
export function envName(name: string): string {
  return wordsOf(name).join("_").toUpperCase();
}

/** String constants named like secrets with credential-like values move to `process.env.NAME` with a random dev default. */
export function secretsRule(ctx: RuleContext): void {
  const holders = [
    ...ctx.sf.getDescendantsOfKind(ts.SyntaxKind.VariableDeclaration),
    ...ctx.sf.getDescendantsOfKind(ts.SyntaxKind.PropertyAssignment),
    ...ctx.sf.getDescendantsOfKind(ts.SyntaxKind.PropertyDeclaration),
  ]
    .sort((a, b) => b.getStart() - a.getStart())
    // Lines are taken before any edit: an added import shifts everything below it.
    .map((holder) => ({ holder, line: holder.getStartLineNumber() }));
  for (const { holder, line } of holders) {
    const init = holder.getInitializer();
    if (!init || !(Node.isStringLiteral(init) || Node.isNoSubstitutionTemplateLiteral(init))) continue;
    const name = holder.getName().replace(/^["']|["']$/g, "");
    if (!isSecretName(name) || !isSecretValue(init.getLiteralText())) continue;
    const env = envName(name);
    const random = ensureNamedImport(ctx.sf, ["node:crypto", "crypto"], "randomBytes");
    init.replaceWithText(`process.env.${env} ?? ${random}(32).toString("hex")`);
    ctx.report(
      line,
      "no-hardcoded-secret",
      "high",
      `hard-coded secret ${name} now comes from process.env.${env}; without it a random value is used, so set ${env} in production and rotate the old value`,
      true,
    );
  }
}
