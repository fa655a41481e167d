import { resolve } from "node:path";
import { GuildError } from "../protocol/index.js";
import { runGit } from "./git-exec.js";
import { resolveCommit } from "./repo-facts.js";
import { withRepoLock } from "./repo-lock.js";
import { isDirty } from "./salvage.js";
import { listWorktrees } from "./worktree-list.js";

/** Options of {@link fastForwardBase}. */
export interface FastForwardOptions {
  baseBranch: string;
  /** Where the base branch must still be; if someone pushed meanwhile, nothing moves. */
  expectedBase: string;
  to: string;
}

/**
 * Fast-forwards the base branch to `to`, refused with `git.conflict` if the branch moved from
 * `expectedBase` or `to` does not descend from it. A checked-out base branch is advanced with
 * `merge --ff-only` in its worktree (refused if that worktree has local changes) so the user's
 * files follow the branch; otherwise only the ref moves.
 */
export async function fastForwardBase(
  repoDir: string,
  opts: FastForwardOptions,
): Promise<{ from: string; to: string }> {
  const ref = `refs/heads/${opts.baseBranch}`;
  const expected = await resolveCommit(repoDir, opts.expectedBase);
  const to = await resolveCommit(repoDir, opts.to);
  return withRepoLock(repoDir, async () => {
    const current = (await runGit(repoDir, ["rev-parse", "--verify", ref])).stdout.toString().trim();
    if (current !== expected) {
      throw new GuildError(
        "git.conflict",
        `${opts.baseBranch} moved from ${expected} to ${current}; not fast-forwarding`,
        {
          details: { branch: opts.baseBranch, expected, current },
        },
      );
    }
    const descends = await runGit(repoDir, ["merge-base", "--is-ancestor", current, to], { okCodes: [1] });
    if (descends.code !== 0) {
      throw new GuildError("git.conflict", `${to} does not descend from ${opts.baseBranch}`, {
        details: { branch: opts.baseBranch, to },
      });
    }
    const checkout = (await listWorktrees(repoDir)).find((w) => w.branch === ref && !w.missing);
    if (checkout) {
      if (await isDirty(checkout.dir)) {
        throw new GuildError(
          "git.conflict",
          `${opts.baseBranch} is checked out at ${resolve(checkout.dir)} with local changes`,
          {
            details: { branch: opts.baseBranch, dir: checkout.dir },
          },
        );
      }
      await runGit(checkout.dir, ["merge", "--ff-only", "-q", to]);
    } else {
      await runGit(repoDir, ["update-ref", "-m", "guild: fast-forward", ref, to, current]);
    }
    return { from: current, to };
  });
}
