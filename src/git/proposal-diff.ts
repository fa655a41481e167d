import { rmSync } from "node:fs";
import { gitText, runGit } from "./git-exec.js";
import { withRepoLock } from "./repo-lock.js";

/** The unified diff of `base..head`, limited to `paths` when given, cut to `maxChars` for a person or a model. */
export async function proposalDiff(
  repoDir: string,
  base: string,
  head: string,
  options: { paths?: string[]; maxChars?: number } = {},
): Promise<string> {
  const args = ["diff", "--no-color", "--no-ext-diff", base, head];
  if (options.paths?.length) args.push("--", ...options.paths.map((p) => `:(literal)${p}`));
  const text = await gitText(repoDir, args);
  const max = options.maxChars ?? 20_000;
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

/**
 * A commit on top of `head` that restores `paths` to their state at `base`: the proposal without its
 * changes outside the proposer's ownership. Built in a temporary index, so no checkout is touched.
 */
export async function dropPaths(
  repoDir: string,
  opts: { base: string; head: string; paths: string[]; message: string },
): Promise<string> {
  return withRepoLock(repoDir, async () => {
    const indexFile = `${await gitText(repoDir, ["rev-parse", "--path-format=absolute", "--git-dir"])}/guild-drop-${process.pid}-${Date.now()}.index`;
    const env = { GIT_INDEX_FILE: indexFile };
    try {
      await runGit(repoDir, ["read-tree", opts.head], { env });
      const lines: string[] = [];
      for (const path of opts.paths) {
        const entry = await gitText(repoDir, ["ls-tree", "-z", opts.base, "--", `:(literal)${path}`]);
        const record = entry.replace(/\0$/, "");
        if (record) lines.push(record);
        else lines.push(`0 0000000000000000000000000000000000000000\t${path}`);
      }
      await runGit(repoDir, ["update-index", "-z", "--index-info"], { env, input: `${lines.join("\0")}\0` });
      const tree = await gitText(repoDir, ["write-tree"], { env });
      return gitText(repoDir, ["commit-tree", tree, "-p", opts.head, "-F", "-"], {
        input: `${opts.message}\n`,
      });
    } finally {
      rmSync(indexFile, { force: true });
    }
  });
}
