import { GuildError } from "../protocol/index.js";
import { gitText, runGit } from "./git-exec.js";

/** Options of {@link pushBranch}. */
export interface PushOptions {
  /** A remote's name (`origin`) or URL. */
  remote: string;
  branch: string;
  /** A token for an https remote, sent as an HTTP header to that remote's host only (never in argv or the URL). */
  token?: string;
}

/** What was pushed, and the remote's (fetch) URL, which names the repository a pull request is opened on. */
export interface PushResult {
  remote: string;
  url: string;
  branch: string;
  head: string;
}

/** The URL behind a remote name (its push URL with `push`), or the argument itself when it already is one. */
export async function remoteUrl(repoDir: string, remote: string, push = false): Promise<string> {
  const names = (await gitText(repoDir, ["remote"])).split("\n").filter(Boolean);
  if (!names.includes(remote)) {
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^[^/\s]+@[^:\s]+:|^\//.test(remote)) return remote;
    throw new GuildError(
      "git.failed",
      `no remote ${remote} in ${repoDir} (it has: ${names.join(", ") || "none"})`,
      {
        details: { remote, remotes: names },
      },
    );
  }
  return gitText(repoDir, ["remote", "get-url", ...(push ? ["--push"] : []), remote]);
}

// git reads GIT_CONFIG_COUNT/KEY/VALUE as command-line config, kept out of argv so no other user sees it.
function authEnv(url: string, token: string | undefined): Record<string, string> {
  if (!token || !/^https:\/\//.test(url)) return {};
  const origin = new URL(url).origin;
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: `http.${origin}/.extraheader`,
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

/**
 * Pushes `branch` to the same name on `remote` (no force: a remote branch that moved elsewhere refuses it),
 * with hooks off as everywhere in guild.
 */
export async function pushBranch(repoDir: string, options: PushOptions): Promise<PushResult> {
  const url = await remoteUrl(repoDir, options.remote);
  const pushUrl = await remoteUrl(repoDir, options.remote, true);
  const head = await gitText(repoDir, ["rev-parse", "--verify", `refs/heads/${options.branch}^{commit}`]);
  const ref = `refs/heads/${options.branch}`;
  await runGit(repoDir, ["-c", "core.hooksPath=/dev/null", "push", "--porcelain", pushUrl, `${ref}:${ref}`], {
    env: authEnv(pushUrl, options.token),
  });
  return { remote: options.remote, url, branch: options.branch, head };
}
