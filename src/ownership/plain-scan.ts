import type { CompiledRule } from "./rule.js";

/** The reference lookup: test every rule in order and keep the last that matches. */
export function plainScanLastMatch(rules: readonly CompiledRule[], path: string): CompiledRule | undefined {
  let found: CompiledRule | undefined;
  for (const rule of rules) if (rule.compiled.regex.test(path)) found = rule;
  return found;
}
