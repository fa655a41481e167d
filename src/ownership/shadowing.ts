import type { PatternSegment } from "./pattern.js";
import type { CompiledRule } from "./rule.js";

/** A rule that can never decide a path because a later rule matches everything it matches. */
export interface ShadowedRule {
  rule: CompiledRule;
  by: CompiledRule;
}

// Each test below is a sufficient condition for "every path `earlier` matches, `later` matches too";
// it may miss exotic cases but never reports a rule that could still decide a path.

/**
 * Rules wholly covered by a later rule (the first such later rule reported). Near-linear: rules are
 * walked from last to first, each later rule filed under the one key its covering test depends on, and
 * an earlier rule looks up only the keys its own segments can meet.
 */
export function findShadowedRules(rules: readonly CompiledRule[]): ShadowedRule[] {
  const bySection = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    // Sections decide independently (GitLab), so only a later rule of the same section shadows.
    const key = (rule.section ?? "").toLowerCase();
    bySection.set(key, [...(bySection.get(key) ?? []), rule]);
  }
  const found = new Map<CompiledRule, CompiledRule>();
  for (const group of bySection.values()) {
    const firstLater = new Map<string, CompiledRule>();
    for (let i = group.length - 1; i >= 0; i--) {
      const rule = group[i] as CompiledRule;
      let by: CompiledRule | undefined;
      for (const key of lookupKeys(rule)) {
        const later = firstLater.get(key);
        if (later && (by === undefined || later.index < by.index) && covers(later, rule)) by = later;
      }
      if (by) found.set(rule, by);
      for (const key of fileKeys(rule)) firstLater.set(key, rule);
    }
  }
  return rules.flatMap((rule) => {
    const by = found.get(rule);
    return by ? [{ rule, by }] : [];
  });
}

const SEP = "\0";

function shapeKey(rule: CompiledRule): string {
  const c = rule.compiled;
  return `shape${SEP}${c.directoryOnly}${SEP}${c.childrenOnly}${SEP}${JSON.stringify(c.segments)}`;
}

/** The keys under which `later` is filed: its shape, and the one kind of pattern it covers others as. */
function fileKeys(later: CompiledRule): string[] {
  const keys = [shapeKey(later)];
  const s = later.compiled.segments;
  const prefix = literalPrefix(s);
  const [first, second, ...rest] = s;
  const anywhere = first?.kind === "globstar" && rest.length === 0 ? second : undefined;
  if (later.compiled.directoryOnly) {
    if (prefix && !prefix.insideOnly) keys.push(`dirprefix${SEP}${prefix.literals.join(SEP)}`);
    else if (anywhere?.kind === "literal") keys.push(`dirany${SEP}${anywhere.text}`);
  } else if (isUniversal(s)) keys.push("universal");
  else if (later.compiled.childrenOnly) return keys;
  else if (prefix) keys.push(`prefix${SEP}${prefix.insideOnly}${SEP}${prefix.literals.join(SEP)}`);
  else if (anywhere?.kind === "literal") keys.push(`any${SEP}${anywhere.text}`);
  else {
    const suffix = starSuffix(anywhere);
    if (suffix !== undefined) keys.push(`suffix${SEP}${suffix}`);
  }
  return keys;
}

/** The keys of every later rule that could cover `earlier`; `covers` decides among them. */
function lookupKeys(earlier: CompiledRule): string[] {
  const keys = [shapeKey(earlier), "universal"];
  const s = earlier.compiled.segments;
  const literals: string[] = [];
  for (const segment of s) {
    if (segment.kind !== "literal") break;
    literals.push(segment.text);
    const joined = literals.join(SEP);
    keys.push(
      `dirprefix${SEP}${joined}`,
      `prefix${SEP}true${SEP}${joined}`,
      `prefix${SEP}false${SEP}${joined}`,
    );
  }
  for (const segment of s) {
    if (segment.kind === "literal") keys.push(`dirany${SEP}${segment.text}`, `any${SEP}${segment.text}`);
    const ending = literalEnding(segment);
    if (ending !== undefined) {
      for (let i = 0; i <= ending.length; i++) keys.push(`suffix${SEP}${ending.slice(i)}`);
    }
  }
  return keys;
}

/** Whether `later` matches every path `earlier` matches. */
export function covers(later: CompiledRule, earlier: CompiledRule): boolean {
  const l = later.compiled;
  const e = earlier.compiled;
  if (sameShape(l, e)) return true;
  if (l.directoryOnly) return coversAsDirectory(l.segments, e.segments, e.directoryOnly);
  if (isUniversal(l.segments)) return true;
  if (l.childrenOnly) return false;
  const prefix = literalPrefix(l.segments);
  if (prefix)
    return (
      startsWith(e.segments, prefix.literals) &&
      (!prefix.insideOnly || strictlyInside(e, prefix.literals.length))
    );
  const [first, second, ...rest] = l.segments;
  if (first?.kind !== "globstar" || second === undefined || rest.length > 0) return false;
  if (second.kind === "literal")
    return e.segments.some((s) => s.kind === "literal" && s.text === second.text);
  const suffix = starSuffix(second);
  return suffix !== undefined && e.segments.some((s) => literalEnding(s)?.endsWith(suffix) === true);
}

function sameShape(a: CompiledRule["compiled"], b: CompiledRule["compiled"]): boolean {
  return (
    a.directoryOnly === b.directoryOnly &&
    a.childrenOnly === b.childrenOnly &&
    JSON.stringify(a.segments) === JSON.stringify(b.segments)
  );
}

/** `**`, `/**`, `*`: every path. */
function isUniversal(segments: PatternSegment[]): boolean {
  const [first, second] = segments;
  if (first?.kind !== "globstar") return false;
  return segments.length === 1 || (segments.length === 2 && starSuffix(second) === "");
}

/** `/a/b`, `a/b/**`: literal segments, optionally ending in `**` (then only what is inside). */
function literalPrefix(segments: PatternSegment[]): { literals: string[]; insideOnly: boolean } | undefined {
  const insideOnly = segments[segments.length - 1]?.kind === "globstar" && segments.length > 1;
  const body = insideOnly ? segments.slice(0, -1) : segments;
  if (body.length === 0 || !body.every((s) => s.kind === "literal")) return undefined;
  return { literals: body.map((s) => (s.kind === "literal" ? s.text : "")), insideOnly };
}

function coversAsDirectory(
  later: PatternSegment[],
  earlier: PatternSegment[],
  earlierDirectoryOnly: boolean,
): boolean {
  const prefix = literalPrefix(later);
  if (prefix && !prefix.insideOnly) {
    return (
      startsWith(earlier, prefix.literals) &&
      (earlier.length > prefix.literals.length || earlierDirectoryOnly)
    );
  }
  // `name/` anywhere: an earlier pattern with a literal `name` directory (not its last segment).
  const [first, second, ...rest] = later;
  if (first?.kind !== "globstar" || second?.kind !== "literal" || rest.length > 0) return false;
  return earlier.some(
    (s, i) =>
      s.kind === "literal" && s.text === second.text && (i < earlier.length - 1 || earlierDirectoryOnly),
  );
}

function startsWith(segments: PatternSegment[], literals: string[]): boolean {
  return literals.every((text, i) => {
    const s = segments[i];
    return s?.kind === "literal" && s.text === text;
  });
}

function strictlyInside(e: CompiledRule["compiled"], depth: number): boolean {
  return e.segments.length > depth || e.directoryOnly;
}

/** For a `*<text>` glob, `<text>`; `""` for a lone `*`. */
function starSuffix(segment: PatternSegment | undefined): string | undefined {
  if (segment?.kind !== "glob") return undefined;
  const [star, tail, ...rest] = segment.parts;
  if (star?.kind !== "star" || rest.length > 0) return undefined;
  if (tail === undefined) return "";
  return tail.kind === "text" ? tail.text : undefined;
}

/** The literal text every match of this segment ends with. */
function literalEnding(segment: PatternSegment): string | undefined {
  if (segment.kind === "literal") return segment.text;
  if (segment.kind !== "glob") return undefined;
  const last = segment.parts[segment.parts.length - 1];
  return last?.kind === "text" ? last.text : undefined;
}
