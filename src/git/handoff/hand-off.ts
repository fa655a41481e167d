import type { GuildConfig, GuildEvent } from "../../protocol/index.js";
import { gitText } from "../git-exec.js";
import { pushBranch } from "../push-branch.js";
import { githubRepoOf, openPullRequest } from "./github-pull-request.js";
import { handoffReport } from "./handoff-report.js";
import { pullRequestBody, pullRequestTitle } from "./pull-request-body.js";

/** Options of {@link handOff}: the secrets and the API root come from the host's environment, never guild.yaml. */
export interface HandOffOptions {
  repoDir: string;
  goalId: string;
  remote: string;
  events: readonly GuildEvent[];
  config: Pick<GuildConfig, "roles" | "prices">;
  /** GITHUB_TOKEN: pushes over https with it and opens a pull request; without it only the push happens. */
  token?: string;
  /** GITHUB_API_URL: the REST API root (default api.github.com). */
  apiUrl?: string;
}

/** What the hand-off did: the push, and the pull request or why there is none. */
export interface HandOffResult {
  branch: string;
  url: string;
  head: string;
  pullRequest?: { number: number; url: string };
  /** Why no pull request was opened (no token, not a GitHub remote). */
  skipped?: string;
}

/** The host a GitHub API root serves (api.github.com → github.com; an Enterprise `/api/v3` root → its host). */
function forgeHost(apiUrl: string | undefined): string {
  if (!apiUrl) return "github.com";
  const host = new URL(apiUrl).hostname;
  return host === "api.github.com" ? "github.com" : host.replace(/^api\./, "");
}

/** Pushes a finished goal's integration branch to `remote` and, with a token and a GitHub remote, opens a pull request. */
export async function handOff(options: HandOffOptions): Promise<HandOffResult> {
  const report = handoffReport(options.goalId, options.events, options.config);
  if (!report.branch) throw new Error(`goal ${options.goalId} has not ended done: nothing to hand off`);
  const pushed = await pushBranch(options.repoDir, {
    remote: options.remote,
    branch: report.branch,
    ...(options.token ? { token: options.token } : {}),
  });
  const result: HandOffResult = { branch: pushed.branch, url: pushed.url, head: pushed.head };
  if (!options.token) return { ...result, skipped: "no GITHUB_TOKEN: pushed only" };
  const repo = githubRepoOf(pushed.url, forgeHost(options.apiUrl));
  if (!repo) return { ...result, skipped: `${pushed.url} is not a GitHub repository: pushed only` };
  const base = await gitText(options.repoDir, ["rev-parse", "--abbrev-ref", report.baseRef]).catch(
    () => "HEAD",
  );
  const pullRequest = await openPullRequest({
    token: options.token,
    ...(options.apiUrl ? { baseUrl: options.apiUrl } : {}),
    ...repo,
    head: report.branch,
    ...(base && base !== "HEAD" ? { base } : {}),
    title: pullRequestTitle(report),
    body: pullRequestBody(report),
  });
  return { ...result, pullRequest };
}
