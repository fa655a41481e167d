import { existsSync, lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileAt, worktreeChanges } from "../../git/index.js";
import {
  type ChangedFile,
  type ImportUse,
  PROGRESS_LIMIT,
  type SurfaceChange,
} from "../../protocol/index.js";
import { SURFACE_SOURCE, type SurfaceParser, surfaceOf } from "./export-surface.js";
import { importUses } from "./import-uses.js";

/** What a worktree changed against its base: files and lines, exported surface, imported names used. */
export interface ProgressSnapshot {
  files: ChangedFile[];
  surface: SurfaceChange[];
  uses: ImportUse[];
  truncated: number;
}

// Parsing is the costly part; a task past this many changed modules reports only their paths.
const MAX_PARSED = 60;
const MAX_SOURCE_BYTES = 1_000_000;

/** A worktree file's text, unless it is a symlink (it may point outside), a directory, or too large. */
function readWorktreeFile(dir: string, path: string): string | undefined {
  try {
    const stat = lstatSync(join(dir, path));
    if (!stat.isFile() || stat.size > MAX_SOURCE_BYTES) return undefined;
    return readFileSync(join(dir, path), "utf8");
  } catch {
    return undefined;
  }
}

/** How the exported surface of one module differs between two texts. */
export function surfaceChanges(
  path: string,
  before: Map<string, string>,
  after: Map<string, string>,
): SurfaceChange[] {
  const out: SurfaceChange[] = [];
  for (const [symbol, sig] of before) {
    const now = after.get(symbol);
    if (now === undefined) out.push({ path, symbol, change: "removed", before: sig });
    else if (now !== sig) out.push({ path, symbol, change: "changed", before: sig, after: now });
  }
  for (const [symbol, sig] of after)
    if (!before.has(symbol)) out.push({ path, symbol, change: "added", after: sig });
  return out;
}

function capped<T>(items: T[], counter: { truncated: number }): T[] {
  if (items.length <= PROGRESS_LIMIT) return items;
  counter.truncated += items.length - PROGRESS_LIMIT;
  return items.slice(0, PROGRESS_LIMIT);
}

/** Reads a worktree's progress against `base` (git for the paths and lines, ts-morph for surfaces). */
export async function progressSnapshot(
  dir: string,
  base: string,
  parser: SurfaceParser,
): Promise<ProgressSnapshot> {
  const changes = await worktreeChanges(dir, base);
  const counter = { truncated: 0 };
  const surface: SurfaceChange[] = [];
  const uses: ImportUse[] = [];
  const exists = (path: string) => existsSync(join(dir, path));
  let parsed = 0;
  for (const change of changes) {
    if (!SURFACE_SOURCE.test(change.path) || change.path.endsWith(".d.ts")) continue;
    if (parsed++ >= MAX_PARSED) {
      counter.truncated++;
      continue;
    }
    const beforeText = change.status === "added" ? undefined : await fileAt(dir, base, change.path);
    const afterText = change.status === "deleted" ? undefined : readWorktreeFile(dir, change.path);
    const before = beforeText === undefined ? new Map() : parser.surface(change.path, beforeText);
    let after = new Map<string, string>();
    if (afterText !== undefined) {
      const file = parser.parse(change.path, afterText);
      after = surfaceOf(file);
      uses.push(...importUses(file, change.path, change.newLines, exists));
    }
    surface.push(...surfaceChanges(change.path, before, after));
  }
  const files = changes.map((c) => ({
    path: c.path,
    status: c.status,
    baseLines: c.baseLines.slice(0, PROGRESS_LIMIT),
  }));
  return {
    files: capped(files, counter),
    surface: capped(surface, counter),
    uses: capped(uses, counter),
    truncated: counter.truncated,
  };
}
