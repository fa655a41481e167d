/** The module the security skill adds in place of `eval` for arithmetic: a small recursive-descent parser. */
export const SAFE_ARITHMETIC_SOURCE = `/**
 * Evaluates an arithmetic expression (numbers, + - * /, unary signs, parentheses) without \`eval\`.
 * @param expression - the expression, such as \`2+3*4\`
 * @returns its value; division by zero gives Infinity, as in JavaScript
 * @example evaluateArithmetic("(1+2)*3") // 9
 */
export function evaluateArithmetic(expression: string): number {
  const tokens = expression.match(/\\d+(?:\\.\\d*)?|\\.\\d+|[-+*/()]|\\S/g) ?? [];
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const next = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new SyntaxError("unexpected end of expression");
    return token;
  };
  const factor = (): number => {
    const token = next();
    if (token === "+") return factor();
    if (token === "-") return -factor();
    if (token === "(") {
      const value = sum();
      if (next() !== ")") throw new SyntaxError("missing )");
      return value;
    }
    if (!/^(?:\\d|\\.\\d)/.test(token)) throw new SyntaxError(\`unexpected \${token}\`);
    return Number(token);
  };
  const product = (): number => {
    let value = factor();
    while (peek() === "*" || peek() === "/") value = next() === "*" ? value * factor() : value / factor();
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === "+" || peek() === "-") value = next() === "+" ? value + product() : value - product();
    return value;
  };
  const value = sum();
  if (at < tokens.length) throw new SyntaxError(\`unexpected \${tokens[at]}\`);
  return value;
}
`;

/** The file name of that module, placed beside the file whose `eval` it replaces. */
export const SAFE_ARITHMETIC_FILE = "safe-arithmetic.ts";
