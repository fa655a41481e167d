import { rmSync } from "node:fs";
import { GuildError } from "../protocol/index.js";
import { gitText, runGit } from "./git-exec.js";
import { mergeTree } from "./merge-tree.js";
import { withRepoLock } from "./repo-lock.js";

/** A file's text at a revision, or undefined where it does not exist there. */
export async function fileAt(repoDir: string, rev: string, path: string): Promise<string | undefined> {
  const result = await runGit(repoDir, ["cat-file", "-p", `${rev}:${path}`], { okCodes: [128] });
  return result.code === 0 ? result.stdout.toString("utf8") : undefined;
}

/**
 * Merges two proposals and resolves their conflicting files with the given contents (an arbiter's
 * combination): a merge commit with both heads as parents, so both sides' other changes are kept.
 */
export async function combineProposals(
  repoDir: string,
  opts: { a: string; b: string; files: { path: string; content: string }[]; message: string },
): Promise<string> {
  const merged = await mergeTree(repoDir, opts.a, opts.b);
  const unresolved = merged.conflictedPaths.filter((p) => !opts.files.some((f) => f.path === p));
  if (unresolved.length > 0) {
    throw new GuildError("git.conflict", `the combination leaves conflicts in ${unresolved.join(", ")}`, {
      details: { paths: unresolved },
    });
  }
  return withRepoLock(repoDir, async () => {
    const gitDir = await gitText(repoDir, ["rev-parse", "--path-format=absolute", "--git-dir"]);
    const indexFile = `${gitDir}/guild-combine-${process.pid}-${Date.now()}.index`;
    const env = { GIT_INDEX_FILE: indexFile };
    try {
      await runGit(repoDir, ["read-tree", merged.tree], { env });
      for (const file of opts.files) {
        const blob = await gitText(repoDir, ["hash-object", "-w", "--stdin"], { input: file.content });
        await runGit(repoDir, ["update-index", "--add", "--cacheinfo", `100644,${blob},${file.path}`], {
          env,
        });
      }
      const tree = await gitText(repoDir, ["write-tree"], { env });
      return gitText(repoDir, ["commit-tree", tree, "-p", opts.a, "-p", opts.b, "-F", "-"], {
        input: `${opts.message}\n`,
      });
    } finally {
      rmSync(indexFile, { force: true });
    }
  });
}
