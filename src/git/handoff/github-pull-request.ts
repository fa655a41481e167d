import { Octokit } from "@octokit/rest";
import { GuildError } from "../../protocol/index.js";

/** The GitHub repository a remote URL names (https, ssh or scp-like) on `host` (a hostname), or undefined. */
export function githubRepoOf(url: string, host = "github.com"): { owner: string; repo: string } | undefined {
  const m =
    /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/(?:[^@/]+@)?|[^@/\s]+@)([^/:]+)(?::\d+)?[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(
      url,
    );
  if (!m || m[1] !== host) return undefined;
  return { owner: m[2] as string, repo: m[3] as string };
}

/** Options of {@link openPullRequest}. */
export interface PullRequestOptions {
  token: string;
  /** The REST API's root (GitHub Enterprise, or a local server in tests); default https://api.github.com. */
  baseUrl?: string;
  owner: string;
  repo: string;
  head: string;
  /** The branch to merge into; default the repository's default branch. */
  base?: string;
  title: string;
  body: string;
}

/** Opens a pull request with GitHub's REST API; a refusal is a `git.failed` error carrying GitHub's message. */
export async function openPullRequest(options: PullRequestOptions): Promise<{ number: number; url: string }> {
  const octokit = new Octokit({
    auth: options.token,
    userAgent: "guild",
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    request: { retries: 0 },
  });
  try {
    const base =
      options.base ??
      (await octokit.rest.repos.get({ owner: options.owner, repo: options.repo })).data.default_branch;
    const { data } = await octokit.rest.pulls.create({
      owner: options.owner,
      repo: options.repo,
      head: options.head,
      base,
      title: options.title,
      body: options.body,
    });
    return { number: data.number, url: data.html_url };
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new GuildError(
      "git.failed",
      `GitHub refused the pull request${status ? ` (${status})` : ""}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        details: {
          pullRequest: {
            owner: options.owner,
            repo: options.repo,
            head: options.head,
            status: status ?? null,
          },
        },
      },
    );
  }
}
