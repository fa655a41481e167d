import { runGit, splitNul } from "./git-exec.js";

/** Lines of a file, 1-based and inclusive; `end < start` is a point between lines (a pure insertion). */
export interface Span {
  start: number;
  end: number;
}

/** One file an agent's worktree changed against its task's base, with the lines on both sides. */
export interface WorktreeChange {
  path: string;
  status: "added" | "modified" | "deleted";
  /** Base lines the change replaces (an insertion is the line it follows, so adjacent edits meet). */
  baseLines: Span[];
  /** Worktree lines the change wrote. */
  newLines: Span[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** git quotes a path with unusual characters C-style; the JSON string syntax reads the same escapes. */
function unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  try {
    return JSON.parse(path) as string;
  } catch {
    return path.slice(1, -1);
  }
}

function spanOf(start: number, count: number): Span {
  // git names the line before an insertion (0 at the top), so the insertion touches that line.
  return count === 0
    ? { start: Math.max(1, start), end: Math.max(1, start) }
    : { start, end: start + count - 1 };
}

/** Parses `git diff -U0` output into changed files and their line spans. */
export function parseZeroContextDiff(text: string): WorktreeChange[] {
  const out: WorktreeChange[] = [];
  let current: WorktreeChange | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("diff --git ")) {
      current = { path: "", status: "modified", baseLines: [], newLines: [] };
      out.push(current);
    } else if (!current) {
    } else if (line.startsWith("new file mode")) current.status = "added";
    else if (line.startsWith("deleted file mode")) current.status = "deleted";
    else if (line.startsWith("--- ") && line !== "--- /dev/null")
      current.path = unquote(line.slice(4)).slice(2);
    else if (line.startsWith("+++ ") && line !== "+++ /dev/null")
      current.path = unquote(line.slice(4)).slice(2);
    else {
      const hunk = HUNK.exec(line);
      if (!hunk) continue;
      const [, a, b, c, d] = hunk;
      const baseCount = b === undefined ? 1 : Number(b);
      const newCount = d === undefined ? 1 : Number(d);
      if (current.status !== "added") current.baseLines.push(spanOf(Number(a), baseCount));
      if (newCount > 0) current.newLines.push(spanOf(Number(c), newCount));
    }
  }
  // A binary or mode-only change has no ---/+++ lines; its path is in the header.
  return out.filter((c) => c.path !== "");
}

/**
 * What an agent's worktree changed against `base`, uncommitted work and new untracked files included:
 * the paths and line spans, never the contents.
 */
export async function worktreeChanges(dir: string, base: string): Promise<WorktreeChange[]> {
  const diff = await runGit(dir, ["diff", "-U0", "--no-renames", "--no-color", "--no-ext-diff", base, "--"]);
  const changes = parseZeroContextDiff(diff.stdout.toString("utf8"));
  const untracked = splitNul(
    (await runGit(dir, ["ls-files", "-z", "--others", "--exclude-standard"])).stdout,
  );
  const seen = new Set(changes.map((c) => c.path));
  for (const path of untracked) {
    if (seen.has(path)) continue;
    changes.push({
      path,
      status: "added",
      baseLines: [],
      newLines: [{ start: 1, end: Number.MAX_SAFE_INTEGER }],
    });
  }
  return changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
