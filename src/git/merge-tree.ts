import { runGit, splitNul } from "./git-exec.js";

/** One message of merge-tree's informational section, e.g. a `CONFLICT (contents)` for a path. */
export interface MergeMessage {
  paths: string[];
  type: string;
  message: string;
}

/** The outcome of a three-way merge of two commits, computed without a checkout. */
export interface MergeTreeResult {
  clean: boolean;
  /** The merged tree; when not clean, conflicted files hold conflict markers. */
  tree: string;
  conflictedPaths: string[];
  messages: MergeMessage[];
}

/**
 * Merges two commits with `git merge-tree --write-tree` (merge-ort, git >= 2.38), from their merge base.
 * diff3 markers put the base text between the sides, which is what a settlement needs to see.
 */
export async function mergeTree(repoDir: string, ours: string, theirs: string): Promise<MergeTreeResult> {
  const out = await runGit(
    repoDir,
    ["-c", "merge.conflictStyle=diff3", "merge-tree", "--write-tree", "-z", "--messages", ours, theirs],
    { okCodes: [1] },
  );
  const fields = splitNul(out.stdout);
  const tree = fields[0] ?? "";
  const conflicted = new Set<string>();
  let i = 1;
  for (; i < fields.length && fields[i] !== ""; i++) {
    const entry = fields[i] ?? "";
    conflicted.add(entry.slice(entry.indexOf("\t") + 1));
  }
  const messages: MergeMessage[] = [];
  for (i++; i < fields.length; ) {
    const count = Number(fields[i++]);
    if (!Number.isInteger(count) || count < 0) break;
    const paths = fields.slice(i, i + count);
    i += count;
    messages.push({ paths, type: fields[i++] ?? "", message: (fields[i++] ?? "").trim() });
  }
  return { clean: out.code === 0, tree, conflictedPaths: [...conflicted].sort(), messages };
}
