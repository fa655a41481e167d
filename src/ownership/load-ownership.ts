import { createHash } from "node:crypto";
import { access, readFile } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { GuildConfig, GuildError } from "../protocol/index.js";
import { OwnershipMatcher } from "./ownership-matcher.js";
import type { RuleProblem } from "./parse-error.js";
import { parseRules, type RulesFormat } from "./parse-rules.js";

/** Where rules are looked for, in order, when no file is named. */
export const RULES_SEARCH_ORDER: readonly string[] = [
  "guild.yaml",
  ".github/CODEOWNERS",
  "CODEOWNERS",
  "docs/CODEOWNERS",
];

/** The `source` of an ownership loaded from a repository that has no rules file. */
export const NO_RULES = "(no rules file)";

/** A repository's ownership: the full config, the compiled matcher, and the file they came from. */
export interface Ownership {
  config: GuildConfig;
  matcher: OwnershipMatcher;
  /** The rules file, relative to the repository when inside it. */
  source: string;
  format: RulesFormat | "none";
  /** Lines of a CODEOWNERS file that were skipped, each with its reason. */
  problems: readonly RuleProblem[];
}

/** Options of `loadOwnership`; `rulesFile` is relative to `repoDir` unless absolute. */
export interface LoadOwnershipOptions {
  repoDir: string;
  rulesFile?: string;
}

/**
 * Finds, parses and compiles a repository's rules (guild.yaml, then CODEOWNERS in GitHub's places).
 * @example const { matcher } = await loadOwnership({ repoDir: "." }); matcher.ownerOf("src/a.ts")
 */
export async function loadOwnership(options: LoadOwnershipOptions): Promise<Ownership> {
  const file = options.rulesFile ?? (await findRulesFile(options.repoDir));
  if (file === undefined) {
    // No rules is a valid state: every path is unowned and only the built-in protection applies.
    const config = GuildConfig.parse({});
    return {
      config,
      matcher: new OwnershipMatcher([], config, NO_RULES),
      source: NO_RULES,
      format: "none",
      problems: [],
    };
  }
  const full = isAbsolute(file) ? file : join(options.repoDir, file);
  let text: string;
  try {
    text = await readFile(full, "utf8");
  } catch (e) {
    throw new GuildError("config.invalid", `cannot read rules file ${file}`, { cause: e, details: { file } });
  }
  const rel = relative(options.repoDir, full);
  const source = rel.startsWith("..") || isAbsolute(rel) ? full : rel;
  const key = `${source}\0${createHash("sha256").update(text).digest("hex")}`;
  const known = compiled.get(key);
  if (known) {
    // Least recently used goes first when the memo is full.
    compiled.delete(key);
    compiled.set(key, known);
    return known;
  }
  const parsed = parseRules(text, { file: source });
  const ownership: Ownership = Object.freeze({
    config: deepFreeze(parsed.config),
    matcher: new OwnershipMatcher(parsed.rules, parsed.config, source),
    source,
    format: parsed.format,
    problems: parsed.problems,
  });
  if (compiled.size >= MEMO_SIZE) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, ownership);
  return ownership;
}

// Every agent loads the rules from its worktree for every task, and a parse of guild.yaml costs
// milliseconds; the same file (same place, same bytes) gives the same answer, so it is kept, frozen so
// that no caller can change what the next one gets.
const MEMO_SIZE = 64;
const compiled = new Map<string, Ownership>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The first of `candidates` (default `RULES_SEARCH_ORDER`) present in `repoDir`. */
export async function findRulesFile(
  repoDir: string,
  candidates: readonly string[] = RULES_SEARCH_ORDER,
): Promise<string | undefined> {
  for (const candidate of candidates) {
    try {
      await access(join(repoDir, candidate));
      return candidate;
    } catch {
      // not here; try the next place
    }
  }
  return undefined;
}
