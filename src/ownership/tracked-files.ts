import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { GuildError, SAFE_GIT_ARGS, SAFE_GIT_ENV } from "../protocol/index.js";

const run = promisify(execFile);

/** The repository's tracked files (`git ls-files`), `/`-separated and relative to its root. */
export async function listTrackedFiles(repoDir: string): Promise<string[]> {
  try {
    const { stdout } = await run("git", [...SAFE_GIT_ARGS, "ls-files", "-z", "--full-name"], {
      env: { ...process.env, ...SAFE_GIT_ENV },
      cwd: repoDir,
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout.split("\0").filter((p) => p !== "");
  } catch (e) {
    throw new GuildError("git.failed", `git ls-files failed in ${repoDir}`, {
      cause: e,
      details: { repoDir },
    });
  }
}
