import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseBundleHeader } from "./bundle-format.js";
import { rejected } from "./bundle-rejection.js";
import { runGit } from "./git-exec.js";
import { checkProposal, DEFAULT_LIMITS, type SizeLimits } from "./proposal-checks.js";
import { PROPOSAL_NAMESPACE, proposalRef } from "./ref-names.js";
import { gitPath, rememberCommit, resolveCommit } from "./repo-facts.js";
import { withRepoLock } from "./repo-lock.js";

/** Options of {@link importBundle}. */
export interface ImportBundleOptions {
  proposalId: string;
  baseCommit: string;
  isProtected?: (path: string) => boolean;
  approvedProtected?: boolean;
  limits?: SizeLimits;
}

/** An accepted proposal: where it is stored and what it changes. */
export interface ImportedProposal {
  ref: string;
  head: string;
  changedPaths: string[];
}

/**
 * Verifies a proposal bundle and stores it under `refs/guild/proposals/<id>`.
 * The bundle is unpacked into a quarantine object directory first, so a refused bundle leaves
 * no object and no ref behind; throws `git.bundle_rejected` with `details.rule` on refusal.
 */
export async function importBundle(
  repoDir: string,
  bundle: Uint8Array,
  opts: ImportBundleOptions,
): Promise<ImportedProposal> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const ref = proposalRef(opts.proposalId);
  if (bundle.byteLength > limits.maxTotalBytes) {
    throw rejected("total_too_large", `bundle is ${bundle.byteLength} bytes, over ${limits.maxTotalBytes}`, {
      size: bundle.byteLength,
      limit: limits.maxTotalBytes,
    });
  }
  const header = parseBundleHeader(bundle);
  const outside = header.refs.filter((r) => !r.name.startsWith(PROPOSAL_NAMESPACE));
  if (outside.length > 0) {
    throw rejected(
      "refs_outside_namespace",
      `bundle carries refs outside ${PROPOSAL_NAMESPACE}: ${outside.map((r) => r.name).join(", ")}`,
      {
        refs: outside.map((r) => r.name),
      },
    );
  }
  const [tip, ...more] = header.refs;
  if (!tip || more.length > 0)
    throw rejected("malformed_bundle", `bundle must carry exactly one ref, has ${header.refs.length}`);
  const base = await resolveCommit(repoDir, opts.baseCommit);

  const objects = await gitPath(repoDir, { gitPath: "objects" });
  // Inside the git directory, so accepted packs move into place with a rename on the same disk.
  const scratch = mkdtempSync(join(dirname(objects), "guild-quarantine-"));
  try {
    const file = join(scratch, "proposal.bundle");
    writeFileSync(file, bundle);
    const quarantine = join(scratch, "objects");
    mkdirSync(join(quarantine, "pack"), { recursive: true });
    const env = { GIT_OBJECT_DIRECTORY: quarantine, GIT_ALTERNATE_OBJECT_DIRECTORIES: objects };
    for (const pre of header.prerequisites.filter((p) => p !== base)) {
      // A prerequisite the base does not contain means the work sits on history the goal never had.
      const known = await runGit(repoDir, ["merge-base", "--is-ancestor", pre, base], { okCodes: [1, 128] });
      if (known.code !== 0) {
        throw rejected(
          "not_based_on_base",
          `bundle requires ${pre}, which the base ${base} does not contain`,
          {
            prerequisite: pre,
            base,
          },
        );
      }
    }
    // Under the repository lock: unbundle walks every ref, other worktrees' HEADs included, and fails
    // with "bad object worktrees/<x>/HEAD" while a worktree is being added or removed beside it.
    const unpacked = await withRepoLock(repoDir, () =>
      runGit(repoDir, ["bundle", "unbundle", file], { env, okCodes: [1, 128] }),
    );
    if (unpacked.code !== 0)
      throw rejected("malformed_bundle", `git could not unpack the bundle: ${unpacked.stderr.trim()}`);
    const { changedPaths, tipIsCommit } = await checkProposal(repoDir, {
      base,
      head: tip.oid,
      env,
      limits,
      ...(opts.isProtected ? { isProtected: opts.isProtected } : {}),
      ...(opts.approvedProtected !== undefined ? { approvedProtected: opts.approvedProtected } : {}),
    });
    await storeProposal(repoDir, ref, tip.oid, tipIsCommit, () => adopt(quarantine, objects));
    return { ref, head: tip.oid, changedPaths };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Verifies a proposal whose commits are already in this repository's object store (its agent works in a
 * worktree of it) and stores it under `refs/guild/proposals/<id>`, with the checks of {@link importBundle};
 * throws `git.bundle_rejected` on refusal and `git.failed` when the head is not there.
 */
export async function adoptProposal(
  repoDir: string,
  head: string,
  opts: ImportBundleOptions,
): Promise<ImportedProposal> {
  const ref = proposalRef(opts.proposalId);
  const base = await resolveCommit(repoDir, opts.baseCommit);
  const { changedPaths, tipIsCommit } = await checkProposal(repoDir, {
    base,
    head,
    limits: opts.limits ?? DEFAULT_LIMITS,
    ...(opts.isProtected ? { isProtected: opts.isProtected } : {}),
    ...(opts.approvedProtected !== undefined ? { approvedProtected: opts.approvedProtected } : {}),
  });
  if (!tipIsCommit) throw rejected("malformed_bundle", `${head} is not a commit`);
  await storeProposal(repoDir, ref, head, true);
  return { ref, head, changedPaths };
}

// Points the proposal's ref at its head (again, for a redelivered proposal), never at another head.
// Objects to move in (a bundle's pack) go in only once the ref is known not to hold another head, so a
// refused proposal adds nothing. Without any, the ref is created in one process (`update-ref` with an
// empty old value refuses a ref that exists), and only a refusal asks what the ref holds.
async function storeProposal(
  repoDir: string,
  ref: string,
  head: string,
  tipIsCommit: boolean,
  adoptObjects?: () => void,
): Promise<void> {
  await withRepoLock(repoDir, async () => {
    const created =
      adoptObjects === undefined &&
      (await runGit(repoDir, ["update-ref", ref, head, ""], { okCodes: [128] })).code === 0;
    if (!created) {
      const existing = await runGit(repoDir, ["rev-parse", "--verify", "--quiet", ref], { okCodes: [1] });
      const current = existing.stdout.toString().trim();
      if (current !== "" && current !== head) {
        throw rejected("proposal_exists", `${ref} already holds ${current}`, { ref, current });
      }
      adoptObjects?.();
      await runGit(repoDir, ["update-ref", ref, head, current]);
    }
    // Verified and stored: merging it later need not ask git what it is.
    if (tipIsCommit) rememberCommit(repoDir, head);
  });
}

// Moves the accepted pack into the repository; the index goes last, because git only sees a pack
// through its .idx and must never find an index without its pack.
function adopt(quarantine: string, objects: string): void {
  const from = join(quarantine, "pack");
  const names = readdirSync(from).sort((a, b) => Number(a.endsWith(".idx")) - Number(b.endsWith(".idx")));
  for (const name of names) renameSync(join(from, name), join(objects, "pack", name));
}
