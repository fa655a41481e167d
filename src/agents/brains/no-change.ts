export { declaredNoChange } from "../../protocol/index.js";

// A line that says it is the error outranks one that merely mentions a failure (a warning, a retry).
const LEADING_ERROR = /^\W*(error|fatal)\b/i;
const ERROR_LINE =
  /\b(error|fatal|unexpected|failed|failure|denied|refused|not found|cannot|could not|invalid)\b/i;

/**
 * The first line of an agent's output that reads like an error (else the first non-empty line): the
 * cause, where the tail of a CLI's output is usually its usage text or a stack.
 */
export function firstErrorLine(output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => LEADING_ERROR.test(l)) ?? lines.find((l) => ERROR_LINE.test(l)) ?? lines[0];
  return (line ?? "").slice(0, 500);
}
