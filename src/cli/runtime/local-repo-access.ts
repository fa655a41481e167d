import type { RepoAccess } from "../../dashboard/index.js";
import { proposalDiff } from "../../git/index.js";
import { loadOwnership } from "../../ownership/index.js";

/**
 * The dashboard's view into goals' repositories on this machine: diffs through guild's own git (hooks
 * and repository-configured programs off) and owners from the repository's rules, as review reads them.
 */
export const localRepoAccess: RepoAccess = {
  diff: (repo, base, head, paths) =>
    proposalDiff(repo, base, head, { ...(paths ? { paths } : {}), maxChars: 400_000 }),
  async owners(repo, paths) {
    const { matcher } = await loadOwnership({ repoDir: repo });
    return paths.map((path) => ({
      path,
      owners: matcher.ownerOf(path),
      protected: matcher.isProtected(path),
    }));
  },
};
