/** A pattern that cannot be read, with the offset (0-based, in the pattern text) of the offending character. */
export class PatternSyntaxError extends Error {
  override readonly name = "PatternSyntaxError";
  constructor(
    message: string,
    readonly offset: number,
    readonly expected: string,
  ) {
    super(message);
  }
}

/** One path segment of a pattern: `**`, or a glob over one segment with its parts unescaped. */
export type PatternSegment =
  | { kind: "globstar" }
  | { kind: "literal"; text: string }
  | { kind: "glob"; parts: GlobPart[] };

/** A glob part: literal text, `*` (any run without `/`) or `?` (one character other than `/`). */
export type GlobPart = { kind: "text"; text: string } | { kind: "star" } | { kind: "any" };

/** A CODEOWNERS pattern compiled to segments and one regular expression over the whole path. */
export interface CompiledPattern {
  source: string;
  /** Segments from the repository root; unanchored patterns start with a globstar. */
  segments: PatternSegment[];
  /** A trailing `/`: the pattern names directories, so it owns only what is inside them. */
  directoryOnly: boolean;
  /** A final lone `*` owns direct children only (GitHub: `docs/*` does not own `docs/a/b`). */
  childrenOnly: boolean;
  regex: RegExp;
}

/**
 * Compiles one CODEOWNERS pattern with gitignore rules; `!` negation and `[ ]` ranges are rejected.
 * @example compilePattern("/docs/").regex.test("docs/a/b.md") // true
 */
export function compilePattern(source: string): CompiledPattern {
  if (source.length === 0) throw new PatternSyntaxError("empty pattern", 0, "a path pattern");
  if (source.startsWith("!")) {
    throw new PatternSyntaxError(
      "negation with '!' is not supported in CODEOWNERS",
      0,
      "a pattern without '!'",
    );
  }
  const rawSegments = splitSegments(source);
  const anchored = source.startsWith("/");
  const directoryOnly = source.endsWith("/") && !source.endsWith("\\/");
  const body = rawSegments.filter((s, i) => s.text !== "" || (i > 0 && i < rawSegments.length - 1));
  if (body.length === 0) throw new PatternSyntaxError("pattern names no path", 0, "a path pattern");
  const empty = body.find((s) => s.text === "");
  if (empty) throw new PatternSyntaxError("empty path segment ('//')", empty.offset, "one '/' between names");
  // gitignore: a slash at the start or in the middle anchors the pattern to the root.
  const segments: PatternSegment[] = anchored || body.length > 1 ? [] : [{ kind: "globstar" }];
  for (const raw of body) {
    const segment = parseSegment(raw.text, raw.offset);
    const previous = segments[segments.length - 1];
    if (segment.kind === "globstar" && previous?.kind === "globstar") continue;
    segments.push(segment);
  }
  // `dir/**/` names every directory under dir, including dir itself: the same as `dir/`.
  if (directoryOnly && segments.length > 1 && segments[segments.length - 1]?.kind === "globstar")
    segments.pop();
  const last = segments[segments.length - 1];
  const childrenOnly =
    !directoryOnly && last?.kind === "glob" && last.parts.length === 1 && last.parts[0]?.kind === "star";
  return {
    source,
    segments,
    directoryOnly,
    childrenOnly,
    regex: toRegex(segments, directoryOnly, childrenOnly),
  };
}

function splitSegments(source: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "/") {
      out.push({ text: source.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  out.push({ text: source.slice(start), offset: start });
  return out;
}

function parseSegment(text: string, offset: number): PatternSegment {
  if (text === "**") return { kind: "globstar" };
  const parts: GlobPart[] = [];
  let literal = "";
  const flush = () => {
    if (literal !== "") parts.push({ kind: "text", text: literal });
    literal = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\\") {
      const next = text[i + 1];
      if (next === undefined) {
        throw new PatternSyntaxError(
          "dangling '\\' at the end of the pattern",
          offset + i,
          "a character after '\\'",
        );
      }
      literal += next;
      i++;
    } else if (c === "[") {
      throw new PatternSyntaxError(
        "character ranges '[ ]' are not supported in CODEOWNERS",
        offset + i,
        "a literal '\\[' or a '*' / '?' wildcard",
      );
    } else if (c === "*") {
      flush();
      // Consecutive asterisks inside a segment are ordinary asterisks (gitignore).
      if (parts[parts.length - 1]?.kind !== "star") parts.push({ kind: "star" });
    } else if (c === "?") {
      flush();
      parts.push({ kind: "any" });
    } else literal += c;
  }
  flush();
  const only = parts[0];
  if (parts.length === 1 && only?.kind === "text") return { kind: "literal", text: only.text };
  return { kind: "glob", parts };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function globToRegex(segment: PatternSegment): string {
  if (segment.kind === "literal") return escapeRegex(segment.text);
  if (segment.kind === "globstar") return ".+";
  return segment.parts
    .map((p) => (p.kind === "text" ? escapeRegex(p.text) : p.kind === "star" ? "[^/]*" : "[^/]"))
    .join("");
}

/** A regular expression matching one whole path segment against one pattern segment. */
export function segmentRegex(segment: PatternSegment): RegExp {
  return new RegExp(`^${globToRegex(segment)}$`, "s");
}

function toRegex(segments: PatternSegment[], directoryOnly: boolean, childrenOnly: boolean): RegExp {
  let re = "";
  let needSlash = false;
  const n = segments.length;
  segments.forEach((segment, i) => {
    if (segment.kind !== "globstar") {
      re += (needSlash ? "/" : "") + globToRegex(segment);
      needSlash = true;
    } else if (n === 1) {
      re += ".+";
      needSlash = true;
    } else if (i === 0) {
      re += "(?:.+/)?"; // leading **/: zero or more directories
    } else if (i === n - 1) {
      re += "/.+"; // trailing /**: everything inside
    } else {
      re += "/(?:.+/)?"; // middle /**/: zero or more directories
      needSlash = false;
    }
  });
  // A pattern that matches a directory owns everything beneath it.
  const tail = directoryOnly ? "/.+" : childrenOnly ? "" : "(?:/.+)?";
  return new RegExp(`^${re}${tail}$`, "s");
}
