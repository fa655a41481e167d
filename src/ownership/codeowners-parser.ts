import { isOwnerToken, OWNER_EXPECTED } from "./owner-syntax.js";
import { ownershipParseError, type RuleProblem } from "./parse-error.js";
import { compilePattern, PatternSyntaxError } from "./pattern.js";
import type { OwnershipRule } from "./rule.js";

interface Token {
  text: string;
  /** 0-based column in the line. */
  start: number;
}

// GitLab: `[Name]`, `^[Optional]`, `[Name][2]`, each optionally followed by default owners.
const SECTION = /^\^?\[([^\]]+)\](?:\[(\d+)\])?(.*)$/;

/**
 * Reads a CODEOWNERS file (GitHub syntax, GitLab `[Section]` headers) into ordered rules. Without
 * `problems` the first bad line throws; with it, as GitHub does, every bad line is skipped and recorded there.
 * @example parseCodeowners("*.js @web # inline comment\n", "CODEOWNERS")[0]?.owners // ["@web"]
 */
export function parseCodeowners(text: string, file: string, problems?: RuleProblem[]): OwnershipRule[] {
  const rules: OwnershipRule[] = [];
  let section: { name: string; owners: string[] } | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    try {
      section = parseLine(line, i + 1, file, rules, section);
    } catch (e) {
      const details = (e as { details?: RuleProblem }).details;
      if (problems === undefined || details === undefined) throw e;
      problems.push({ ...details, message: (e as Error).message });
    }
  });
  return rules;
}

type Section = { name: string; owners: string[] } | undefined;

/** Adds the rule on one line to `rules` and returns the section that follows it. */
function parseLine(
  line: string,
  lineNo: number,
  file: string,
  rules: OwnershipRule[],
  section: Section,
): Section {
  const tokens = tokenize(line);
  const first = tokens[0];
  if (!first) return section;
  const fail = (message: string, column: number, expected: string) =>
    ownershipParseError(message, { file, line: lineNo, column: column + 1, text: line, expected });
  const header = SECTION.exec(line.trim());
  if (header || first.text.startsWith("[") || first.text.startsWith("^[")) {
    if (!header) throw fail("malformed section header", first.start, "[Section name] or ^[Optional section]");
    const owners = tokenize(header[3] ?? "").map((t) => t.text);
    const bad = owners.find((o) => !isOwnerToken(o));
    if (bad !== undefined) throw fail(`'${bad}' is not a valid owner`, line.indexOf(bad), OWNER_EXPECTED);
    return { name: (header[1] ?? "").trim(), owners };
  }
  try {
    compilePattern(first.text);
  } catch (e) {
    if (e instanceof PatternSyntaxError) throw fail(e.message, first.start + e.offset, e.expected);
    throw e;
  }
  const owners = tokens.slice(1).map((t) => {
    if (!isOwnerToken(t.text)) throw fail(`'${t.text}' is not a valid owner`, t.start, OWNER_EXPECTED);
    return t.text;
  });
  rules.push({
    index: rules.length,
    pattern: first.text,
    owners: owners.length === 0 && section ? [...section.owners] : owners,
    protect: false,
    file,
    line: lineNo,
    ...(section ? { section: section.name } : {}),
  });
  return section;
}

/** Splits on unescaped whitespace and drops a comment: a token that starts with an unescaped `#`. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let current: Token | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === " " || c === "\t") {
      if (current) tokens.push(current);
      current = undefined;
      continue;
    }
    if (!current) {
      if (c === "#") break;
      current = { text: "", start: i };
    }
    current.text += c;
    if (c === "\\" && i + 1 < line.length) {
      current.text += line[i + 1];
      i++;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}
