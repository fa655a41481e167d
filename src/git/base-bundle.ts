import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { GuildError } from "../protocol/index.js";
import { bundleHeader, parseBundleHeader } from "./bundle-format.js";
import { rejected } from "./bundle-rejection.js";
import { runGit } from "./git-exec.js";
import { resolveCommit } from "./repo-facts.js";
import { withRepoLock } from "./repo-lock.js";

/** Where a mirror keeps the bases it fetched: one ref per commit, so git keeps their objects. */
export const BASE_NAMESPACE = "refs/guild/bases/";

/**
 * Packs `commit` and its history as a git bundle carrying `refs/guild/bases/<commit>`, for an agent that
 * keeps its own mirror of the repository. With `since` (a commit the receiver already has, an ancestor
 * of `commit`) only what lies between travels, and `since` is the bundle's prerequisite.
 */
export async function exportBaseBundle(
  repoDir: string,
  opts: { commit: string; since?: string },
): Promise<Uint8Array> {
  const commit = await resolveCommit(repoDir, opts.commit);
  const since = opts.since === undefined ? undefined : await resolveCommit(repoDir, opts.since);
  const input = since ? `${commit}\n^${since}\n` : `${commit}\n`;
  const args = ["pack-objects", "--stdout", "--revs", "--delta-base-offset", "-q"];
  const pack = await runGit(repoDir, since ? [...args, "--thin"] : args, { input });
  const header = bundleHeader(since ? [since] : [], [{ name: `${BASE_NAMESPACE}${commit}`, oid: commit }]);
  return new Uint8Array(Buffer.concat([Buffer.from(header, "utf8"), pack.stdout]));
}

/** A bare repository under an agent's home that mirrors one repository by id: `<home>/repos/<id>.git`. */
export function mirrorDir(home: string, repoId: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(repoId)) {
    throw new GuildError("git.failed", `not a repository id: ${JSON.stringify(repoId)}`, {
      details: { repoId },
    });
  }
  return join(home, "repos", `${repoId}.git`);
}

/**
 * Creates the mirror's bare repository if it is not there yet; returns its path. The agents of one home
 * (in one process or several) may all meet a new repository at once: each makes a scratch repository beside
 * the mirror and renames it into place, so the first rename wins and the others use the mirror it made
 * (two `git init`s in one folder fail on each other's config lock).
 */
export async function ensureMirror(home: string, repoId: string): Promise<string> {
  const dir = mirrorDir(home, repoId);
  if (existsSync(join(dir, "HEAD"))) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  const scratch = mkdtempSync(`${dir}.new-`);
  try {
    await runGit(scratch, ["init", "--bare", "-q", "."]);
    try {
      // Replaces an empty folder, never a repository: a folder with anything in it makes rename fail.
      renameSync(scratch, dir);
    } catch (error) {
      if (!existsSync(join(dir, "HEAD"))) {
        throw new GuildError("git.failed", `could not make the mirror ${dir}: ${(error as Error).message}`, {
          cause: error,
          details: { dir },
        });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}

/** Whether the repository holds `commit` (the commit object; git keeps history whole, so its ancestry too). */
export async function hasCommit(repoDir: string, commit: string): Promise<boolean> {
  const found = await runGit(repoDir, ["cat-file", "-e", `${commit}^{commit}`], { okCodes: [1, 128] });
  return found.code === 0;
}

/**
 * Fetches a base bundle into a mirror and checks that it brought exactly `commit`: the bundle must carry
 * the one ref `refs/guild/bases/<commit>` naming that commit, and the mirror must hold the commit after
 * (git verifies every object it unpacks, and an object's id is its content's hash). Throws
 * `git.bundle_rejected` otherwise.
 */
export async function importBaseBundle(mirror: string, bundle: Uint8Array, commit: string): Promise<void> {
  const header = parseBundleHeader(bundle);
  const ref = `${BASE_NAMESPACE}${commit}`;
  const [tip, ...more] = header.refs;
  if (!tip || more.length > 0 || tip.name !== ref || tip.oid !== commit) {
    throw rejected("malformed_bundle", `a base bundle must carry only ${ref} at ${commit}`, {
      refs: header.refs.map((r) => `${r.name} ${r.oid}`),
    });
  }
  const scratch = mkdtempSync(join(mirror, "guild-base-"));
  try {
    const file = join(scratch, "base.bundle");
    writeFileSync(file, bundle);
    // Under the mirror's lock: a fetch walks every ref, and the agents of this home add worktrees beside it.
    const fetched = await withRepoLock(mirror, () =>
      runGit(mirror, ["fetch", "-q", "--no-tags", "--no-write-fetch-head", file, `${ref}:${ref}`], {
        okCodes: [1, 128],
      }),
    );
    if (fetched.code !== 0)
      throw rejected("malformed_bundle", `git could not fetch the base: ${fetched.stderr.trim()}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const head = await runGit(mirror, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    okCodes: [1],
  });
  if (head.stdout.toString().trim() !== commit) {
    throw rejected("malformed_bundle", `the base bundle did not bring ${commit}`, { commit });
  }
}
