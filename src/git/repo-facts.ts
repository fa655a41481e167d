import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { GuildError } from "../protocol/index.js";
import { gitText, runGit, splitNul } from "./git-exec.js";

// Answers that cannot change while a process runs: a commit id names the same commit forever, and a
// repository's git directories stay where they are. Each costs a git process (a fork of this one,
// several milliseconds when the process is large), and the hot paths ask them for every proposal.
const commits = new Map<string, true>();
const dirs = new Map<string, string>();
const FULL_OID = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;
const MAX_ENTRIES = 10_000;

/** Whether `rev` is a full object id (SHA-1 or SHA-256), not a name or an abbreviation. */
export function isFullOid(rev: string): boolean {
  return FULL_OID.test(rev);
}

/** A repository's identity for per-repository state: its real path (the resolved path if it is gone). */
export function repoKey(repoDir: string): string {
  try {
    return realpathSync(repoDir);
  } catch {
    return resolve(repoDir);
  }
}

/** Stores an answer that cannot change in a bounded memo (cleared when full). */
export function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, value);
}

/** Resolves a revision to a full commit id, or throws `git.failed` naming it; verified full ids are remembered. */
export async function resolveCommit(repoDir: string, rev: string): Promise<string> {
  const key = `${repoKey(repoDir)}\0${rev}`;
  if (FULL_OID.test(rev) && commits.has(key)) return rev;
  let id: string;
  try {
    id = await gitText(repoDir, ["rev-parse", "--verify", "--end-of-options", `${rev}^{commit}`]);
  } catch (e) {
    throw new GuildError("git.failed", `not a commit: ${rev}`, { cause: e, details: { rev } });
  }
  if (id === rev) remember(commits, key, true);
  return id;
}

/** Records a commit id git itself just reported for `repoDir` (a commit it made), so resolving it costs nothing. */
export function rememberCommit(repoDir: string, id: string): void {
  if (FULL_OID.test(id)) remember(commits, `${repoKey(repoDir)}\0${id}`, true);
}

/** An absolute path git reports for `repoDir` (`--git-common-dir`, `--git-dir`, or `--git-path <name>`), asked once. */
export async function gitPath(
  repoDir: string,
  which: "--git-common-dir" | "--git-dir" | { gitPath: string },
): Promise<string> {
  const args = typeof which === "string" ? [which] : ["--git-path", which.gitPath];
  const key = `${repoKey(repoDir)}\0${args.join(" ")}`;
  const known = dirs.get(key);
  if (known !== undefined) return known;
  const path = await gitText(repoDir, ["rev-parse", "--path-format=absolute", ...args]);
  remember(dirs, key, path);
  return path;
}

const netPaths = new Map<string, string[]>();

/**
 * The paths that differ between two commits (`git diff --name-only`, no rename detection). A pair of
 * full commit ids always gives the same answer, so it is remembered: review computes it once per
 * proposal and conflict detection reads it back. `known` records an answer derived another way.
 */
export async function changedBetween(
  repoDir: string,
  base: string,
  head: string,
  opts: { env?: Record<string, string>; known?: string[] } = {},
): Promise<string[]> {
  const cacheable = FULL_OID.test(base) && FULL_OID.test(head);
  const key = `${repoKey(repoDir)}\0${base}\0${head}`;
  const hit = cacheable ? netPaths.get(key) : undefined;
  if (hit) return [...hit];
  const paths =
    opts.known ??
    splitNul(
      (
        await runGit(repoDir, ["diff", "--name-only", "-z", "--no-renames", base, head], {
          ...(opts.env ? { env: opts.env } : {}),
        })
      ).stdout,
    );
  if (cacheable) remember(netPaths, key, [...paths]);
  return paths;
}
