import type { PatternSegment } from "./pattern.js";
import type { CompiledRule } from "./rule.js";
import { SegmentGlobRules } from "./segment-glob-rules.js";

// Each rule goes into exactly one bucket, chosen by something every path it matches must contain:
// its leading literal segments (a trie node), a literal segment at a fixed depth, a literal segment
// anywhere, or a segment extension. A lookup visits only the buckets the path's own segments
// select, each sorted last-rule-first, and stops in each at the first rule that matches.
type Bucket = CompiledRule[];

interface TrieNode {
  rules: Bucket;
  children: Map<string, TrieNode>;
}

function trieNode(): TrieNode {
  return { rules: [], children: new Map() };
}

/** Rules bucketed for last-match-wins lookups that test only rules that could match. */
export class RuleIndex {
  private readonly prefixes: TrieNode = trieNode();
  private readonly atDepth: Map<string, Bucket>[] = [];
  private readonly anywhere = new Map<string, Bucket>();
  private readonly byExtension = new Map<string, Bucket>();
  private readonly everywhere: Bucket = [];
  private readonly segmentGlobs = new SegmentGlobRules();

  /** Rules by pattern regex: of identical patterns only the last can decide, so only it is bucketed. */
  private readonly identical = new Map<string, CompiledRule[]>();

  constructor(readonly rules: readonly CompiledRule[]) {
    for (const rule of rules) {
      const same = this.identical.get(rule.compiled.regex.source) ?? [];
      same.push(rule);
      this.identical.set(rule.compiled.regex.source, same);
    }
    for (const same of this.identical.values()) {
      const last = same[same.length - 1] as CompiledRule;
      const bucket = this.bucketFor(last);
      if (bucket === this.everywhere && SegmentGlobRules.accepts(last)) this.segmentGlobs.add(last);
      else bucket.push(last);
    }
    this.segmentGlobs.seal();
    const descending = (b: Bucket) => b.sort((x, y) => y.index - x.index);
    const sortTrie = (node: TrieNode) => {
      descending(node.rules);
      for (const child of node.children.values()) sortTrie(child);
    };
    sortTrie(this.prefixes);
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
      if ((bucket[0]?.index ?? -1) <= floor) return;
      for (const rule of bucket) {
        if (rule.index <= floor) return;
        if (rule.compiled.regex.test(path)) {
          best = rule;
          return;
        }
      }
    };
    this.forEachBucket(path, consider);
    if (this.segmentGlobs.size > 0) {
      best = this.segmentGlobs.lastMatch(path.split("/"), best ? best.index : -1) ?? best;
    }
    return best;
  }

  /** Every rule matching `path`, in rule order. */
  allMatches(path: string): CompiledRule[] {
    // A path may name the same bucket twice (`a/a`), so collect into a set.
    const found = new Set<CompiledRule>();
    this.forEachBucket(path, (bucket) => {
      for (const rule of bucket ?? []) {
        if (!rule.compiled.regex.test(path)) continue;
        for (const same of this.identical.get(rule.compiled.regex.source) ?? []) found.add(same);
      }
    });
    this.segmentGlobs.collect(path.split("/"), (rule) => {
      for (const same of this.identical.get(rule.compiled.regex.source) ?? []) found.add(same);
    });
    return [...found].sort((a, b) => a.index - b.index);
  }

  private forEachBucket(path: string, visit: (bucket: Bucket | undefined) => void): void {
    visit(this.everywhere);
    const segments = path.split("/");
    let node: TrieNode | undefined = this.prefixes;
    for (let i = 0; node !== undefined && i < segments.length; i++) {
      node = node.children.get(segments[i] as string);
      if (node && node.rules.length > 0) visit(node.rules);
    }
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
    if (segments[0]?.kind === "literal") {
      let node = this.prefixes;
      for (const s of segments) {
        if (s.kind !== "literal") break;
        const child = node.children.get(s.text) ?? trieNode();
        node.children.set(s.text, child);
        node = child;
      }
      return node.rules;
    }
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
