import { GuildError } from "../protocol/index.js";
import { gitText, runGit } from "./git-exec.js";
import { mergeTree } from "./merge-tree.js";
import { integrationBranch } from "./ref-names.js";
import { remember, repoKey, resolveCommit } from "./repo-facts.js";
import { withRepoLock } from "./repo-lock.js";

/** An accepted proposal to merge, with what its merge commit's trailers record. */
export interface IntegrationEntry {
  id: string;
  head: string;
  taskId: string;
  role: string;
  decision: string;
  title?: string;
}

/** Options of {@link mergeIntoIntegration}. */
export interface MergeIntegrationOptions {
  goalId: string;
  /** The goal's base commit; the integration branch starts here. */
  base: string;
  entries: IntegrationEntry[];
  /** Rebuild the branch from `base` with exactly these entries (after a proposal was withdrawn). */
  fromScratch?: boolean;
  /**
   * The same entries already merged from `base` (by an {@link IncrementalMerge}, in its own order):
   * the branch is set to that head instead of merging again. Implies `fromScratch`.
   */
  prepared?: { head: string; merged: string[]; commits: Record<string, string> };
}

/** The integration branch after merging, and the entry it stopped at, if any. */
export interface IntegrationResult {
  branch: string;
  head: string;
  merged: string[];
  /**
   * Each merged entry's own commit: the merge commit that brought it in, or, for an entry the branch
   * already held (a retry, or a revision built on top of it), the entry's own head.
   */
  commits: Record<string, string>;
  conflicts: { id: string; files: string[] }[];
}

/**
 * Merges accepted proposals into `guild/<goal>.integration` in order, one merge commit each, using
 * merge-tree, commit-tree and update-ref so no checkout is touched. It stops at the first entry
 * that conflicts and reports it, rather than committing a tree with conflict markers; entries
 * already contained in the branch are counted as merged, so a retry after a crash is harmless.
 */
export async function mergeIntoIntegration(
  repoDir: string,
  opts: MergeIntegrationOptions,
): Promise<IntegrationResult> {
  const branch = integrationBranch(opts.goalId);
  const ref = `refs/heads/${branch}`;
  const base = await resolveCommit(repoDir, opts.base);
  return withRepoLock(repoDir, async () => {
    const found = await runGit(repoDir, ["rev-parse", "--verify", "--quiet", ref], { okCodes: [1] });
    const old = found.stdout.toString().trim();
    if (old && !opts.fromScratch && !opts.prepared && !(await isAncestor(repoDir, base, old))) {
      throw new GuildError("git.failed", `${branch} does not contain the base ${base}`, {
        details: { branch, base },
      });
    }
    const { head, merged, commits, conflicts } = opts.prepared
      ? { ...opts.prepared, conflicts: [] }
      : await composeMerges(repoDir, opts.fromScratch ? base : old || base, opts.entries);
    // One compare-and-swap at the end: the branch moves only from the value it was read at.
    await runGit(repoDir, ["update-ref", "-m", "guild: merge into integration", ref, head, old]);
    return { branch, head, merged, commits, conflicts };
  });
}

/**
 * Moves the goal's integration branch to `head` (a commit that passed the tests), so a failed goal's
 * branch never holds the merge that broke them; under the repository lock, like every move of it.
 */
export async function resetIntegration(repoDir: string, goalId: string, head: string): Promise<string> {
  const branch = integrationBranch(goalId);
  const commit = await resolveCommit(repoDir, head);
  await withRepoLock(repoDir, () =>
    runGit(repoDir, [
      "update-ref",
      "-m",
      "guild: back to the last state that passed",
      `refs/heads/${branch}`,
      commit,
    ]),
  );
  return branch;
}

/**
 * Merges entries onto `base` exactly as the integration branch would, but moves no ref: the commit
 * a subset of proposals would produce, for finding which proposal breaks the tests.
 */
export async function trialMerge(
  repoDir: string,
  opts: { base: string; entries: IntegrationEntry[] },
): Promise<Omit<IntegrationResult, "branch">> {
  return composeMerges(repoDir, await resolveCommit(repoDir, opts.base), opts.entries);
}

/** What merging one entry onto a head gave: a new merge commit, nothing (already in), or a conflict. */
export type MergeStep =
  | { kind: "merged"; head: string }
  | { kind: "contained"; commit: string }
  | { kind: "conflict"; files: string[] };

/** Merges one entry onto `head` with merge-tree and commit-tree; no ref moves and no checkout is touched. */
export async function mergeStep(repoDir: string, head: string, entry: IntegrationEntry): Promise<MergeStep> {
  const theirs = await resolveCommit(repoDir, entry.head);
  if (theirs === head) return { kind: "contained", commit: theirs };
  const result = await mergeTree(repoDir, head, theirs);
  if (!result.clean) {
    const files = new Set(result.conflictedPaths);
    for (const m of result.messages) if (m.type.startsWith("CONFLICT")) for (const p of m.paths) files.add(p);
    return { kind: "conflict", files: [...files].sort() };
  }
  // A commit `head` already contains is its own merge base with `head`, so merging it changes nothing:
  // the tree comes out as `head`'s. Only then is git asked whether it is contained (a proposal with no
  // change of its own, a merge retried after a crash); any other tree is a new merge.
  if (result.tree === (await treeOf(repoDir, head)) && (await isAncestor(repoDir, theirs, head))) {
    return { kind: "contained", commit: theirs };
  }
  const commit = await gitText(repoDir, ["commit-tree", result.tree, "-p", head, "-p", theirs, "-F", "-"], {
    input: mergeMessage(entry),
  });
  remember(trees, `${repoKey(repoDir)}\0${commit}`, result.tree);
  return { kind: "merged", head: commit };
}

// Commit -> tree, for the commits merges start from and make: a commit's tree never changes.
const trees = new Map<string, string>();

/** Whether two commits hold the same tree: the same content, whatever their history. */
export async function sameTree(repoDir: string, a: string, b: string): Promise<boolean> {
  return (await treeOf(repoDir, a)) === (await treeOf(repoDir, b));
}

async function treeOf(repoDir: string, commit: string): Promise<string> {
  const key = `${repoKey(repoDir)}\0${commit}`;
  const known = trees.get(key);
  if (known) return known;
  const tree = await gitText(repoDir, ["rev-parse", "--verify", `${commit}^{tree}`]);
  remember(trees, key, tree);
  return tree;
}

async function composeMerges(
  repoDir: string,
  start: string,
  entries: IntegrationEntry[],
): Promise<Omit<IntegrationResult, "branch">> {
  let head = start;
  const merged: string[] = [];
  const commits: Record<string, string> = {};
  const conflicts: { id: string; files: string[] }[] = [];
  for (const entry of entries) {
    const step = await mergeStep(repoDir, head, entry);
    if (step.kind === "conflict") {
      conflicts.push({ id: entry.id, files: step.files });
      break;
    }
    if (step.kind === "merged") head = step.head;
    merged.push(entry.id);
    commits[entry.id] = step.kind === "merged" ? step.head : step.commit;
  }
  return { head, merged, commits, conflicts };
}

async function isAncestor(repoDir: string, ancestor: string, of: string): Promise<boolean> {
  return (await runGit(repoDir, ["merge-base", "--is-ancestor", ancestor, of], { okCodes: [1] })).code === 0;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function mergeMessage(entry: IntegrationEntry): string {
  const title = entry.title ? `: ${oneLine(entry.title)}` : "";
  return [
    `Merge ${oneLine(entry.taskId)}${title} (${oneLine(entry.id)})`,
    "",
    `Guild-Task: ${oneLine(entry.taskId)}`,
    `Guild-Role: ${oneLine(entry.role)}`,
    `Guild-Decision: ${oneLine(entry.decision)}`,
    `Guild-Proposal: ${oneLine(entry.id)}`,
    "",
  ].join("\n");
}
