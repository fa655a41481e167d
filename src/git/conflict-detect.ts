import { type ConflictHunk, parseConflictHunks } from "./conflict-hunks.js";
import { candidatePairs } from "./conflict-pairs.js";
import { runGit } from "./git-exec.js";
import { mergeTree } from "./merge-tree.js";
import { changedBetween } from "./repo-facts.js";

/** A proposal as conflict detection sees it: its commits `base..head`. */
export interface ProposalRange {
  id: string;
  base: string;
  head: string;
}

/** How one file fares when two proposals are merged. */
export interface FileReport {
  path: string;
  /** `clean`: one side changed it; `merged`: both did and git merged them; `conflict`: it did not. */
  status: "clean" | "merged" | "conflict";
  /** merge-ort's conflict types for this path, e.g. `CONFLICT (contents)`, `CONFLICT (modify/delete)`. */
  kinds: string[];
  hunks: ConflictHunk[];
}

/** The three-way merge of two proposals that share files. */
export interface PairReport {
  a: string;
  b: string;
  clean: boolean;
  sharedPaths: string[];
  files: FileReport[];
}

/** The conflict picture of a set of proposals. */
export interface ConflictReport {
  pairsTotal: number;
  pairsCompared: number;
  /** Pairs not merged because they change no file in common. */
  pairsSkipped: number;
  pairs: PairReport[];
  /** The conflicting pairs and files, for the `conflict.detected` event. */
  conflicts: { ids: [string, string]; files: string[] }[];
}

const PARALLEL = 8;

/** Detects conflicts between proposals with real three-way merges, comparing only pairs that share files. */
export async function detectConflicts(repoDir: string, proposals: ProposalRange[]): Promise<ConflictReport> {
  const changed = await pool(proposals, PARALLEL, (p) => changedPaths(repoDir, p.base, p.head));
  const candidates = candidatePairs(changed);
  const pairs = await pool(candidates, PARALLEL, ([i, j]) =>
    comparePair(
      repoDir,
      proposals[i] as ProposalRange,
      proposals[j] as ProposalRange,
      changed[i] ?? [],
      changed[j] ?? [],
    ),
  );
  const n = proposals.length;
  const pairsTotal = (n * (n - 1)) / 2;
  return {
    pairsTotal,
    pairsCompared: pairs.length,
    pairsSkipped: pairsTotal - pairs.length,
    pairs,
    conflicts: pairs
      .filter((p) => !p.clean)
      .map((p) => ({
        ids: [p.a, p.b],
        files: p.files.filter((f) => f.status === "conflict").map((f) => f.path),
      })),
  };
}

async function comparePair(
  repoDir: string,
  a: ProposalRange,
  b: ProposalRange,
  aPaths: string[],
  bPaths: string[],
): Promise<PairReport> {
  const result = await mergeTree(repoDir, a.head, b.head);
  const bSet = new Set(bPaths);
  const shared = aPaths.filter((p) => bSet.has(p));
  const conflicted = new Set(result.conflictedPaths);
  for (const m of result.messages)
    if (m.type.startsWith("CONFLICT")) for (const p of m.paths) conflicted.add(p);
  const all = [...new Set([...aPaths, ...bPaths, ...conflicted])].sort();
  const files = await Promise.all(
    all.map(async (path): Promise<FileReport> => {
      const kinds = result.messages
        .filter((m) => m.paths.includes(path) && m.type.startsWith("CONFLICT"))
        .map((m) => m.type);
      if (conflicted.has(path)) {
        const hunks = await hunksOf(repoDir, result.tree, a, b, path);
        return { path, status: "conflict", kinds: [...new Set(kinds)], hunks };
      }
      return { path, status: shared.includes(path) ? "merged" : "clean", kinds: [], hunks: [] };
    }),
  );
  return { a: a.id, b: b.id, clean: result.clean, sharedPaths: shared, files };
}

async function hunksOf(
  repoDir: string,
  tree: string,
  a: ProposalRange,
  b: ProposalRange,
  path: string,
): Promise<ConflictHunk[]> {
  const merged = await show(repoDir, `${tree}:${path}`);
  if (merged === undefined || !merged.includes("<<<<<<<")) return [];
  const [ours, theirs, base] = await Promise.all([
    show(repoDir, `${a.head}:${path}`),
    show(repoDir, `${b.head}:${path}`),
    show(repoDir, `${a.base}:${path}`),
  ]);
  return parseConflictHunks(merged, ours ?? "", theirs ?? "", base ?? "");
}

async function show(repoDir: string, spec: string): Promise<string | undefined> {
  const out = await runGit(repoDir, ["cat-file", "-p", spec], { okCodes: [128] });
  return out.code === 0 ? out.stdout.toString("utf8") : undefined;
}

function changedPaths(repoDir: string, base: string, head: string): Promise<string[]> {
  return changedBetween(repoDir, base, head);
}

/** Maps items through `fn` with at most `width` in flight, keeping order. */
async function pool<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
