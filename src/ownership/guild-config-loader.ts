import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { GuildConfig, GuildError } from "../protocol/index.js";
import { isConfigOwner, OWNER_EXPECTED } from "./owner-syntax.js";
import { ownershipParseError } from "./parse-error.js";
import { compilePattern, PatternSyntaxError } from "./pattern.js";
import type { OwnershipRule } from "./rule.js";

/** A validated guild.yaml and its ownership rules with their lines. */
export interface LoadedGuildConfig {
  config: GuildConfig;
  rules: OwnershipRule[];
}

type Path = (string | number)[];

/**
 * Parses and validates guild.yaml; every error carries file, line, column, the line's text and what was expected.
 * @example loadGuildConfig("rules:\n  - pattern: /api/\n    owners: [backend]\n", "guild.yaml").rules[0]?.owners // ["backend"]
 */
export function loadGuildConfig(text: string, file: string): LoadedGuildConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lines = text.split(/\r?\n/);
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, text: lines[line - 1] ?? "" };
  };
  const yamlError = doc.errors[0];
  if (yamlError) {
    throw new GuildError("config.invalid", `${file}: ${yamlError.message.split("\n")[0]}`, {
      details: { ...at(yamlError.pos[0]), expected: "valid YAML" },
    });
  }
  const parsed = GuildConfig.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path = issuePath(issue);
    const position = at(offsetOf(doc.contents, path, issue.code === "unrecognized_keys"));
    throw new GuildError(
      "config.invalid",
      `${file}:${position.line}:${position.column}: ${path.join(".") || "(root)"}: ${issue.message}`,
      { details: { ...position, path, expected: expectedOf(issue) } },
    );
  }
  const config = parsed.data;
  const rules = config.rules.map((rule, index): OwnershipRule => {
    const patternAt = offsetOf(doc.contents, ["rules", index, "pattern"]);
    try {
      compilePattern(rule.pattern);
    } catch (e) {
      if (!(e instanceof PatternSyntaxError)) throw e;
      const quoted = /["']/.test(text[patternAt] ?? "") ? 1 : 0;
      throw ownershipParseError(e.message, { ...at(patternAt + quoted + e.offset), expected: e.expected });
    }
    rule.owners.forEach((owner, o) => {
      if (!isConfigOwner(owner)) {
        throw ownershipParseError(`'${owner}' is not a valid owner`, {
          ...at(offsetOf(doc.contents, ["rules", index, "owners", o])),
          expected: `${OWNER_EXPECTED}, or a role name`,
        });
      }
    });
    const { line } = at(patternAt);
    return { index, pattern: rule.pattern, owners: rule.owners, protect: rule.protect, file, line };
  });
  return { config, rules };
}

function issuePath(issue: z.core.$ZodIssue): Path {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined) return [...path, issue.keys[0]];
  return path;
}

function expectedOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return `a value of type ${issue.expected}`;
  if (issue.code === "unrecognized_keys") return "one of the keys guild.yaml defines";
  if (issue.code === "invalid_value")
    return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return issue.message;
}

/** The source offset of the deepest node on `path` that exists (a key's own position for map entries). */
function offsetOf(root: Node | null, path: Path, atKey = false): number {
  let node: unknown = root;
  let offset = (root?.range?.[0] as number | undefined) ?? 0;
  for (const key of path) {
    if (!isMap(node) && !(node && typeof node === "object" && "items" in node)) break;
    const items = (node as { items: unknown[] }).items;
    const item = isMap(node)
      ? items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key)
      : typeof key === "number"
        ? items[key]
        : undefined;
    if (item === undefined) break;
    if (isPair(item)) {
      const keyNode = item.key as Node | null;
      const valueNode = item.value as Node | null;
      offset = (atKey ? undefined : valueNode?.range?.[0]) ?? keyNode?.range?.[0] ?? offset;
      node = valueNode;
    } else {
      offset = (item as Node).range?.[0] ?? offset;
      node = item;
    }
  }
  return offset;
}
