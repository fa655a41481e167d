import { GuildError } from "../protocol/index.js";
import { bundleHeader } from "./bundle-format.js";
import { runGit } from "./git-exec.js";
import { PROPOSAL_NAMESPACE, proposalRef } from "./ref-names.js";
import { resolveCommit } from "./repo-facts.js";

/** Options of {@link exportBundle}. */
export interface ExportBundleOptions {
  /** The goal's base commit: the receiver already has it, so it is a prerequisite, not content. */
  base: string;
  head: string;
  /** The ref the bundle carries: a full `refs/guild/proposals/...` name, or a proposal id. */
  ref: string;
}

/**
 * Packs the commits `base..head` as a git bundle carrying one ref, for the bus's blob store.
 * The bundle is assembled here (header plus `pack-objects`) rather than by `git bundle create`,
 * which needs the ref to exist and so would write to the agent's repository.
 */
export async function exportBundle(repoDir: string, opts: ExportBundleOptions): Promise<Uint8Array> {
  const base = await resolveCommit(repoDir, opts.base);
  const head = await resolveCommit(repoDir, opts.head);
  const name = opts.ref.startsWith("refs/") ? opts.ref : proposalRef(opts.ref);
  if (!name.startsWith(PROPOSAL_NAMESPACE)) {
    // The receiver would refuse it anyway; failing here names the caller's mistake.
    throw new GuildError("git.failed", `bundle ref must be under ${PROPOSAL_NAMESPACE}: ${name}`, {
      details: { ref: name },
    });
  }
  const pack = await runGit(
    repoDir,
    ["pack-objects", "--stdout", "--thin", "--revs", "--delta-base-offset", "-q"],
    {
      input: `${head}\n^${base}\n`,
    },
  );
  const header = Buffer.from(bundleHeader([base], [{ name, oid: head }]), "utf8");
  return new Uint8Array(Buffer.concat([header, pack.stdout]));
}
