/**
 * The reason an agent gave for making no change ("No changes needed: …", or the specialist's "No changes
 * were needed: …"), or undefined if it gave none. Agents write it and the review reads it: a proposal
 * without changes is accepted only with such a reason.
 * @example declaredNoChange("No changes needed: add already rejects NaN") // "add already rejects NaN"
 */
export function declaredNoChange(text: string): string | undefined {
  const match = /^\W*no changes? (?:(?:was|were|is|are) )?needed\W*(\S.{9,})$/im.exec(text);
  return match?.[1]?.trim();
}
