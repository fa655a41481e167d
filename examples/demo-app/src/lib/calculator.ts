const ARITHMETIC = /^[\d\s+\-*/().]+$/;

/**
 * Evaluates an arithmetic expression typed by a user, such as `2+3*4`.
 * @param expression - digits, `+ - * /`, parentheses and spaces
 * @returns the value of the expression
 * @example calculate("(1+2)*3") // 9
 */
export function calculate(expression: string): number {
  if (!ARITHMETIC.test(expression)) throw new Error("only numbers, + - * / and parentheses are allowed");
  const value: unknown = eval(expression);
  if (typeof value !== "number") throw new Error("the expression has no value");
  return value;
}
