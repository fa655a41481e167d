import { GuildConfig } from "../protocol/index.js";
import { parseCodeowners } from "./codeowners-parser.js";
import { loadGuildConfig } from "./guild-config-loader.js";
import type { RuleProblem } from "./parse-error.js";
import type { OwnershipRule } from "./rule.js";

/** Which syntax a rules file was written in. */
export type RulesFormat = "codeowners" | "guild.yaml";

/** Rules read from one file, with the guild config they live in (defaults for CODEOWNERS). */
export interface ParsedRules {
  format: RulesFormat;
  file: string;
  rules: OwnershipRule[];
  config: GuildConfig;
  /** CODEOWNERS lines skipped as GitHub skips them (invalid pattern or owner); guild.yaml has none, it is strict. */
  problems: RuleProblem[];
}

// A YAML mapping starts with `key:`; a CODEOWNERS line starts with a pattern followed by owners.
const YAML_KEY = /^(?:---\s*$|[A-Za-z_][A-Za-z0-9_-]*\s*:(?:\s|$))/;

/** Tells guild.yaml from CODEOWNERS by the first line that is neither blank nor a comment. */
export function detectRulesFormat(text: string): RulesFormat {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    return YAML_KEY.test(trimmed) ? "guild.yaml" : "codeowners";
  }
  return "codeowners";
}

/**
 * Parses a rules file of either format, detected by content.
 * @example parseRules("/docs/ @docs\n", { file: "CODEOWNERS" }).format // "codeowners"
 */
export function parseRules(text: string, options: { file: string }): ParsedRules {
  const format = detectRulesFormat(text);
  if (format === "guild.yaml") {
    const { config, rules } = loadGuildConfig(text, options.file);
    return { format, file: options.file, rules, config, problems: [] };
  }
  const problems: RuleProblem[] = [];
  const rules = parseCodeowners(text, options.file, problems);
  const config = GuildConfig.parse({
    rules: rules.map(({ pattern, owners, protect }) => ({ pattern, owners, protect })),
  });
  return { format, file: options.file, rules, config, problems };
}
