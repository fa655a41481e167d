import { type HandOffResult, handOff } from "../../git/index.js";
import { loadOwnership } from "../../ownership/index.js";
import type { GuildEvent } from "../../protocol/index.js";
import type { Output } from "../output.js";

/**
 * `guild goal --push <remote>`: once the goal is done, pushes its integration branch from the local
 * repository and, with GITHUB_TOKEN, opens a pull request (GITHUB_API_URL for another API root).
 */
export async function handOffGoal(
  goal: { goalId: string; repo: string; events: readonly GuildEvent[] },
  remote: string,
  output: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<HandOffResult | undefined> {
  const { config } = await loadOwnership({ repoDir: goal.repo });
  try {
    const result = await handOff({
      repoDir: goal.repo,
      goalId: goal.goalId,
      remote,
      events: goal.events,
      config,
      ...(env.GITHUB_TOKEN ? { token: env.GITHUB_TOKEN } : {}),
      ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
    });
    output.err(`pushed ${result.branch} (${result.head.slice(0, 12)}) to ${remote}`);
    if (result.pullRequest)
      output.out(`pull request #${result.pullRequest.number}: ${result.pullRequest.url}`);
    else output.err(result.skipped ?? "no pull request");
    return result;
  } catch (error) {
    output.err(`hand-off to ${remote} failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
