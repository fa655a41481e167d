import type { PatternSegment } from "./pattern.js";
import type { CompiledRule } from "./rule.js";

// Each rule goes into exactly one bucket, chosen by something every path it matches must contain:
// a literal segment at a fixed depth, a literal segment anywhere, or a segment extension. A lookup
// visits only the buckets the path's own segments select, each sorted last-rule-first.
type Bucket = CompiledRule[];

/** Rules bucketed for last-match-wins lookups that test only rules that could match. */
export class RuleIndex {
  private readonly atDepth: Map<string, Bucket>[] = [];
  private readonly anywhere = new Map<string, Bucket>();
  private readonly byExtension = new Map<string, Bucket>();
  private readonly everywhere: Bucket = [];

  constructor(readonly rules: readonly CompiledRule[]) {
    for (const rule of rules) this.bucketFor(rule).push(rule);
    const descending = (b: Bucket) => b.sort((x, y) => y.index - x.index);
    for (const depth of this.atDepth) for (const b of depth?.values() ?? []) descending(b);
    for (const b of this.anywhere.values()) descending(b);
    for (const b of this.byExtension.values()) descending(b);
    descending(this.everywhere);
  }

  /** The last rule matching `path` (normalized, no leading `/`), or undefined. */
  lastMatch(path: string): CompiledRule | undefined {
    let best: CompiledRule | undefined;
    const consider = (bucket: Bucket | undefined) => {
      if (!bucket) return;
      const floor = best ? best.index : -1;
      for (const rule of bucket) {
        if (rule.index <= floor) return;
        if (rule.compiled.regex.test(path)) {
          best = rule;
          return;
        }
      }
    };
    this.forEachBucket(path, consider);
    return best;
  }

  /** Every rule matching `path`, in rule order. */
  allMatches(path: string): CompiledRule[] {
    // A path may name the same bucket twice (`a/a`), so collect into a set.
    const found = new Set<CompiledRule>();
    this.forEachBucket(path, (bucket) => {
      for (const rule of bucket ?? []) if (rule.compiled.regex.test(path)) found.add(rule);
    });
    return [...found].sort((a, b) => a.index - b.index);
  }

  private forEachBucket(path: string, visit: (bucket: Bucket | undefined) => void): void {
    visit(this.everywhere);
    const segments = path.split("/");
    const atDepth = this.atDepth;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      visit(atDepth[i]?.get(segment));
      visit(this.anywhere.get(segment));
      const dot = segment.lastIndexOf(".");
      if (dot >= 0) visit(this.byExtension.get(segment.slice(dot + 1)));
    }
  }

  private bucketFor(rule: CompiledRule): Bucket {
    const segments = rule.compiled.segments;
    const fixed = fixedLiteral(segments);
    if (fixed) {
      const depth = this.atDepth[fixed.depth] ?? new Map<string, Bucket>();
      this.atDepth[fixed.depth] = depth;
      return getOrCreate(depth, fixed.text);
    }
    const literal = segments.find((s) => s.kind === "literal");
    if (literal?.kind === "literal") return getOrCreate(this.anywhere, literal.text);
    for (const s of segments) {
      const extension = extensionOf(s);
      if (extension !== undefined) return getOrCreate(this.byExtension, extension);
    }
    return this.everywhere;
  }
}

function getOrCreate(map: Map<string, Bucket>, key: string): Bucket {
  let bucket = map.get(key);
  if (!bucket) {
    bucket = [];
    map.set(key, bucket);
  }
  return bucket;
}

/** The first literal segment before any `**`, whose depth in every matching path is therefore known. */
function fixedLiteral(segments: PatternSegment[]): { depth: number; text: string } | undefined {
  for (let depth = 0; depth < segments.length; depth++) {
    const s = segments[depth] as PatternSegment;
    if (s.kind === "globstar") return undefined;
    if (s.kind === "literal") return { depth, text: s.text };
  }
  return undefined;
}

/** For `*<text>.ext` globs, `ext`: every segment the glob matches ends with it after its last dot. */
function extensionOf(segment: PatternSegment): string | undefined {
  if (segment.kind !== "glob" || segment.parts.length !== 2) return undefined;
  const [star, tail] = segment.parts;
  if (star?.kind !== "star" || tail?.kind !== "text" || !tail.text.includes(".")) return undefined;
  return tail.text.slice(tail.text.lastIndexOf(".") + 1);
}
