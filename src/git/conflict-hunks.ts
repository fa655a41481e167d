/** A run of lines in one version of a file; 1-based and inclusive, `end = start - 1` when empty. */
export interface LineRange {
  start: number;
  end: number;
}

/** One side of a conflicting hunk: where it sits in that side's file, and its text. */
export interface HunkSide extends LineRange {
  text: string;
}

/** A conflicting hunk: both sides' text and line ranges, the base's, and where the markers sit. */
export interface ConflictHunk {
  /** Lines of the whole marker block in the merged file. */
  merged: LineRange;
  ours: HunkSide;
  theirs: HunkSide;
  base?: HunkSide;
}

interface Block {
  merged: LineRange;
  /** Merged lines between the previous block and this one: context common to both sides. */
  before: string[];
  ours: string[];
  base: string[] | undefined;
  theirs: string[];
}

/**
 * Reads the conflict markers of a merged file (diff3 or merge style) into hunks, locating each
 * side's lines in that side's own file by searching forward from the previous hunk.
 */
export function parseConflictHunks(
  merged: string,
  oursFile: string,
  theirsFile: string,
  baseFile?: string,
): ConflictHunk[] {
  const cursors = { ours: 0, theirs: 0, base: 0 };
  const files = { ours: lines(oursFile), theirs: lines(theirsFile), base: lines(baseFile ?? "") };
  return blocks(merged).map((b) => {
    const hunk: ConflictHunk = {
      merged: b.merged,
      ours: locate(files.ours, b, b.ours, cursors, "ours"),
      theirs: locate(files.theirs, b, b.theirs, cursors, "theirs"),
    };
    if (b.base && baseFile !== undefined) hunk.base = locate(files.base, b, b.base, cursors, "base");
    return hunk;
  });
}

function lines(text: string): string[] {
  const all = text.split("\n");
  if (all.at(-1) === "") all.pop();
  return all;
}

function blocks(merged: string): Block[] {
  const found: Block[] = [];
  let open: (Block & { part: "ours" | "base" | "theirs" }) | undefined;
  let between: string[] = [];
  lines(merged).forEach((line, index) => {
    const n = index + 1;
    if (line.startsWith("<<<<<<<") && !open) {
      open = {
        merged: { start: n, end: n },
        before: between,
        ours: [],
        base: undefined,
        theirs: [],
        part: "ours",
      };
      between = [];
    } else if (open && line.startsWith("|||||||") && open.part === "ours") {
      open.base = [];
      open.part = "base";
    } else if (open && line.startsWith("=======") && open.part !== "theirs") {
      open.part = "theirs";
    } else if (open && line.startsWith(">>>>>>>") && open.part === "theirs") {
      const { part: _part, ...block } = open;
      found.push({ ...block, merged: { start: block.merged.start, end: n } });
      open = undefined;
    } else if (!open) {
      between.push(line);
    } else {
      (open.part === "base" ? (open.base ?? []) : open[open.part]).push(line);
    }
  });
  return found;
}

function locate(
  file: string[],
  block: Block,
  want: string[],
  cursors: Record<"ours" | "theirs" | "base", number>,
  side: "ours" | "theirs" | "base",
): HunkSide {
  // Step over the context the sides share, when this side has it where expected.
  const context = block.before;
  const follows = context.every((l, k) => file[cursors[side] + k] === l);
  const from = follows ? cursors[side] + context.length : cursors[side];
  let at = -1;
  for (let i = from; i + want.length <= file.length && want.length > 0; i++) {
    if (want.every((l, k) => file[i + k] === l)) {
      at = i;
      break;
    }
  }
  // An empty side (a deletion) has no text to find; it sits after the shared context.
  const start = (at < 0 ? from : at) + 1;
  cursors[side] = at < 0 ? from : at + want.length;
  return { start, end: start + want.length - 1, text: want.map((l) => `${l}\n`).join("") };
}
