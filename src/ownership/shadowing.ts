import type { PatternSegment } from "./pattern.js";
import type { CompiledRule } from "./rule.js";

/** A rule that can never decide a path because a later rule matches everything it matches. */
export interface ShadowedRule {
  rule: CompiledRule;
  by: CompiledRule;
}

// Each test below is a sufficient condition for "every path `earlier` matches, `later` matches too";
// it may miss exotic cases but never reports a rule that could still decide a path.

/** Rules wholly covered by a later rule (first such later rule reported). */
export function findShadowedRules(rules: readonly CompiledRule[]): ShadowedRule[] {
  const shadowed: ShadowedRule[] = [];
  rules.forEach((rule, i) => {
    // Sections decide independently (GitLab), so only a later rule of the same section shadows.
    const same = (later: CompiledRule) =>
      (later.section ?? "").toLowerCase() === (rule.section ?? "").toLowerCase();
    const by = rules.slice(i + 1).find((later) => same(later) && covers(later, rule));
    if (by) shadowed.push({ rule, by });
  });
  return shadowed;
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
