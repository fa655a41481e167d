import type { Bus, EventEmitter } from "../../bus/index.js";
import { handOff } from "../../git/index.js";
import { type GoalStatus, type GuildConfig, goalCost, type Logger, subjects } from "../../protocol/index.js";

/** Where a hand-off's secrets come from: the coordinator's own environment, never the repository. */
export interface HandoffSecrets {
  /** GITHUB_TOKEN. */
  token?: string;
  /** GITHUB_API_URL (GitHub Enterprise, or a local server in tests). */
  apiUrl?: string;
}

/** What {@link reportGoalCost} and {@link runHandoff} need. */
export interface EndReportDeps {
  bus: Bus;
  events: EventEmitter;
  logger: Logger;
}

/** Emits `goal.cost`: every model turn of the goal, per role, priced with guild.yaml's `prices`. */
export async function reportGoalCost(
  deps: EndReportDeps,
  goalId: string,
  config: Pick<GuildConfig, "roles" | "prices">,
): Promise<void> {
  const events = await deps.bus.events.read({ subject: subjects.eventsOfGoal(goalId) });
  await deps.events.emit("goal.cost", goalCost(events, config), goalId);
}

/**
 * Runs guild.yaml's `handoff` for a goal that ended done: pushes its integration branch and, with a token,
 * opens a pull request. Each outcome is an event; a failure is `handoff.failed` with the reason.
 */
export async function runHandoff(
  deps: EndReportDeps,
  goal: { goalId: string; repo: string; status: GoalStatus },
  config: Pick<GuildConfig, "roles" | "prices" | "handoff">,
  secrets: HandoffSecrets,
): Promise<void> {
  const remote = config.handoff?.push;
  if (!remote || goal.status !== "done") return;
  const { goalId } = goal;
  try {
    const events = await deps.bus.events.read({ subject: subjects.eventsOfGoal(goalId) });
    const result = await handOff({
      repoDir: goal.repo,
      goalId,
      remote,
      events,
      config,
      ...(secrets.token ? { token: secrets.token } : {}),
      ...(secrets.apiUrl ? { apiUrl: secrets.apiUrl } : {}),
    });
    await deps.events.emit(
      "handoff.pushed",
      { remote, url: result.url, branch: result.branch, head: result.head },
      goalId,
    );
    if (result.pullRequest) await deps.events.emit("handoff.pull_request.opened", result.pullRequest, goalId);
    else
      await deps.events.emit(
        "handoff.pull_request.skipped",
        { reason: result.skipped ?? "not opened" },
        goalId,
      );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ err: error, goalId }, "hand-off failed");
    await deps.events.emit("handoff.failed", { remote, reason }, goalId).catch(() => undefined);
  }
}
