import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";

/** Claude Code's tools that write files, each checked by guild before it runs. */
export const CLAUDE_WRITE_TOOLS = new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"]);

/** A write Claude Code asks to make: the path relative to the worktree and, where it can be known, the file after it. */
export interface ClaudeWrite {
  path: string;
  /** null when the result cannot be computed here (a notebook cell, an edit that does not apply). */
  content: string | null;
}

interface Edit {
  old_string?: unknown;
  new_string?: unknown;
  replace_all?: unknown;
}

function applyEdits(before: string, edits: readonly Edit[]): string | null {
  let text = before;
  for (const edit of edits) {
    if (typeof edit.old_string !== "string" || typeof edit.new_string !== "string") return null;
    if (edit.old_string === "") {
      if (text !== "") return null;
      text = edit.new_string;
    } else if (!text.includes(edit.old_string)) {
      return null;
    } else {
      text =
        edit.replace_all === true
          ? text.split(edit.old_string).join(edit.new_string)
          : text.replace(edit.old_string, () => edit.new_string as string);
    }
  }
  return text;
}

function readText(abs: string): string {
  try {
    return readFileSync(abs, "utf8");
  } catch {
    return "";
  }
}

/**
 * The write a Claude Code tool call would make, or undefined for a tool that does not write. Absolute
 * paths inside the worktree become relative; others stay absolute, which the guard refuses.
 */
export function claudeWriteOf(
  workdir: string,
  tool: string,
  input: Record<string, unknown>,
): ClaudeWrite | undefined {
  if (!CLAUDE_WRITE_TOOLS.has(tool)) return undefined;
  const raw = input.file_path ?? input.notebook_path;
  const given = typeof raw === "string" ? raw : "";
  const abs = isAbsolute(given) ? given : resolve(workdir, given);
  const rel = relative(workdir, abs);
  const path = given === "" ? "" : rel.startsWith("..") || isAbsolute(rel) ? given : rel;
  if (tool === "Write") return { path, content: typeof input.content === "string" ? input.content : null };
  if (tool === "Edit") return { path, content: applyEdits(readText(abs), [input as Edit]) };
  if (tool === "MultiEdit") {
    const edits = Array.isArray(input.edits) ? (input.edits as Edit[]) : [];
    return { path, content: applyEdits(readText(abs), edits) };
  }
  return { path, content: null };
}
