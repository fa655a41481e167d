/**
 * Where the JSON object or array opening at `text[start]` closes: the index of its matching `}` or `]`,
 * with strings and escapes respected; -1 when it never closes or brackets do not match. Models wrap
 * JSON in prose, so the planner and the arbiter both cut it out of replies with this.
 * @example balancedEnd('x {"a": "}"} y', 2) === 11
 */
export function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") stack.push(c === "{" ? "}" : "]");
    else if (c === "}" || c === "]") {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}
