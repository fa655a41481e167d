import { segmentRegex } from "./pattern.js";
import type { CompiledRule } from "./rule.js";

interface Entry {
  rule: CompiledRule;
  test: RegExp;
}

// Unanchored one-segment globs (`*-generated*`, `?akefile`, `*.min.*`) have no literal to index on,
// but each decides by one path segment alone. Segment names repeat across a repository, so the
// rules matching each distinct segment are computed once and remembered.
const CACHE_LIMIT = 100_000;

/** Unanchored single-segment glob rules, matched per path segment with a memo. */
export class SegmentGlobRules {
  private readonly entries: Entry[] = [];
  private readonly bySegment = new Map<string, Entry[]>();

  /** Whether `rule` is `**` followed by one glob segment, the shape this class handles. */
  static accepts(rule: CompiledRule): boolean {
    const [first, second, ...rest] = rule.compiled.segments;
    return first?.kind === "globstar" && second?.kind === "glob" && rest.length === 0;
  }

  /** Adds a rule `accepts` approved. */
  add(rule: CompiledRule): void {
    const segment = rule.compiled.segments[1];
    if (segment) this.entries.push({ rule, test: segmentRegex(segment) });
  }

  /** Call once after adding: later rules first, so lookups stop at the first hit. */
  seal(): void {
    this.entries.sort((a, b) => b.rule.index - a.rule.index);
  }

  /** How many rules were added. */
  get size(): number {
    return this.entries.length;
  }

  /** The last of these rules matching `segments` that is later than `floor`, if any. */
  lastMatch(segments: readonly string[], floor: number): CompiledRule | undefined {
    let best: CompiledRule | undefined;
    for (let k = 0; k < segments.length; k++) {
      const isLast = k === segments.length - 1;
      for (const { rule } of this.matching(segments[k] as string)) {
        if (rule.index <= floor) break;
        if (fits(rule, isLast)) {
          best = rule;
          floor = rule.index;
          break;
        }
      }
    }
    return best;
  }

  /** Adds every one of these rules that matches `segments` to `found`. */
  collect(segments: readonly string[], found: (rule: CompiledRule) => void): void {
    segments.forEach((segment, k) => {
      for (const { rule } of this.matching(segment)) if (fits(rule, k === segments.length - 1)) found(rule);
    });
  }

  private matching(segment: string): Entry[] {
    let hits = this.bySegment.get(segment);
    if (hits === undefined) {
      hits = this.entries.filter((e) => e.test.test(segment));
      if (this.bySegment.size >= CACHE_LIMIT) this.bySegment.clear();
      this.bySegment.set(segment, hits);
    }
    return hits;
  }
}

/** A directory-only glob needs a segment with more below it; a final lone `*` only the last one. */
function fits(rule: CompiledRule, isLast: boolean): boolean {
  if (rule.compiled.directoryOnly) return !isLast;
  if (rule.compiled.childrenOnly) return isLast;
  return true;
}
