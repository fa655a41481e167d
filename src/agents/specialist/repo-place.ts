import { join } from "node:path";
import type { BlobStore } from "../../bus/index.js";
import { ensureMirror, guildHome, hasCommit, importBaseBundle, objectStoreId } from "../../git/index.js";
import { GuildError, type TaskAssignment } from "../../protocol/index.js";

/** Where an agent works on an assignment's repository. */
export interface RepoPlace {
  /** The repository its worktree belongs to: the coordinator's own, or this agent's mirror of it. */
  repoDir: string;
  /** The folder of the agent's worktree in a mirror (beside it, `<home>/repos/<id>.worktrees`); default otherwise. */
  worktreeRoot?: string;
  /** The coordinator reads the commits where the agent makes them: the proposal needs no bundle. */
  shared: boolean;
}

/**
 * Finds or makes the repository an agent works in. Where the coordinator's checkout is on this disk with
 * the object store the assignment names, it is that checkout (the shared-object shortcut). Anywhere else
 * it is the agent's mirror under its home, `<home>/repos/<repoId>.git`, brought to the task's base by the
 * base bundles from the blob store; the mirror must hold exactly the commit the assignment names after.
 */
export async function repoPlaceFor(
  assignment: TaskAssignment["payload"],
  blobs: BlobStore,
  home: string = guildHome(),
): Promise<RepoPlace> {
  const { repo, objectStore, repoId, baseCommit } = assignment;
  if (repo !== undefined && objectStore !== undefined) {
    const here = await objectStoreId(repo).catch(() => undefined);
    if (here === objectStore) return { repoDir: repo, shared: true };
  }
  const mirror = await ensureMirror(home, repoId);
  const place = { repoDir: mirror, worktreeRoot: join(home, "repos", `${repoId}.worktrees`), shared: false };
  if (await hasCommit(mirror, baseCommit)) return place;
  for (const bundle of assignment.baseBundles) {
    if (await hasCommit(mirror, bundle.commit)) continue;
    const data = await blobs.get(bundle.key);
    if (!data) {
      throw new GuildError("git.failed", `base bundle ${bundle.key} is missing from the blob store`, {
        details: { key: bundle.key },
      });
    }
    await importBaseBundle(mirror, data, bundle.commit);
  }
  if (!(await hasCommit(mirror, baseCommit))) {
    throw new GuildError(
      "git.failed",
      `the base bundles did not bring ${baseCommit} to the mirror of ${repoId}`,
      {
        details: { repoId, baseCommit },
      },
    );
  }
  return place;
}
