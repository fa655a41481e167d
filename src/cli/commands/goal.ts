import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import type { Bus } from "../../bus/index.js";
import type { HandOffResult } from "../../git/index.js";
import { formatGoalCost, type GuildEvent, TaskSpec } from "../../protocol/index.js";
import { requestGoal } from "../client/index.js";
import { formatEvent, GoalProgress } from "../event-format.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";
import { handOffGoal } from "./goal-handoff.js";

export interface GoalOptions {
  repo: string;
  base?: string;
  wait?: boolean;
  json?: boolean;
  timeoutMs?: number;
  /** A prepared plan (e.g. edited output of `guild plan --json`), used instead of the planner. */
  plan?: TaskSpec[];
  /** Names the goal instead of letting the coordinator pick an id. */
  goalId?: string;
  /** Once the goal is done, push its integration branch to this remote (and open a pull request). */
  push?: string;
}

export interface GoalResult {
  goalId: string;
  status: "submitted" | "done" | "failed" | "cancelled";
  events: GuildEvent[];
  /** With `push`: what the hand-off did; `false` when it failed. */
  handoff?: HandOffResult | false;
}

const TERMINAL = new Set(["goal.done", "goal.failed", "goal.cancelled"]);

/** Submits a goal on an open bus; with `wait`, streams its events until it ends. */
export async function submitGoal(
  bus: Bus,
  text: string,
  options: GoalOptions,
  output: Output,
): Promise<GoalResult> {
  const reply = await requestGoal(bus, {
    text,
    repo: options.repo,
    ...(options.base ? { base: options.base } : {}),
    ...(options.plan ? { plan: options.plan } : {}),
    ...(options.goalId ? { goalId: options.goalId } : {}),
  });
  const { goalId } = reply;
  output.err(`goal ${goalId} accepted; integration branch ${reply.integrationBranch}`);
  if (!options.wait && !options.push) {
    output.out(goalId);
    return { goalId, status: "submitted", events: [] };
  }
  const events: GuildEvent[] = [];
  const progress = new GoalProgress();
  let finish: (status: GoalResult["status"]) => void = () => undefined;
  const ended = new Promise<GoalResult["status"]>((r) => {
    finish = r;
  });
  const sub = await bus.events.follow({ subject: `guild.evt.${goalId}.>`, fromSeq: 1 }, (event) => {
    events.push(event);
    if (options.json) output.out(JSON.stringify(event));
    else if (event.type !== "agent.step") {
      output.out(formatEvent(event, output.color));
      if (progress.update(event)) output.err(progress.line());
    }
    if (TERMINAL.has(event.type)) finish(event.type.slice(5) as GoalResult["status"]);
  });
  const timeout = setTimeout(() => finish("failed"), options.timeoutMs ?? 30 * 60_000);
  const status = await ended;
  clearTimeout(timeout);
  await sub.unsubscribe();
  const cost = events.find((e) => e.type === "goal.cost");
  if (cost?.type === "goal.cost" && !options.json)
    for (const line of formatGoalCost(cost.payload)) output.err(`cost ${line}`);
  if (!options.push || status !== "done") return { goalId, status, events };
  const handoff = await handOffGoal({ goalId, repo: resolve(options.repo), events }, options.push, output);
  return { goalId, status, events, handoff: handoff ?? false };
}

export function registerGoalCommand(program: Command): void {
  program
    .command("goal <text>")
    .description("submit a goal to the coordinator of a running guild")
    .requiredOption("--repo <path>", "the repository to work on")
    .option("--base <ref>", "base branch or commit", "HEAD")
    .option("--wait", "stream the goal's events until it ends")
    .option("--json", "print events as JSON lines")
    .option(
      "--push <remote>",
      "when done, push the integration branch there; with GITHUB_TOKEN, open a pull request",
    )
    .option(
      "--plan <file>",
      "a prepared plan (JSON task list, e.g. from `guild plan --json`) instead of the planner",
    )
    .action(
      async (
        text: string,
        opts: { repo: string; base: string; wait?: boolean; json?: boolean; plan?: string; push?: string },
      ) => {
        const plan = opts.plan
          ? z.array(TaskSpec).parse(JSON.parse(readFileSync(opts.plan, "utf8")))
          : undefined;
        const connection = await connectBus({});
        try {
          const result = await submitGoal(
            connection.bus,
            text,
            {
              repo: opts.repo,
              base: opts.base,
              wait: Boolean(opts.wait),
              json: Boolean(opts.json),
              ...(plan ? { plan } : {}),
              ...(opts.push ? { push: opts.push } : {}),
            },
            processOutput,
          );
          const ok = (result.status === "done" || result.status === "submitted") && result.handoff !== false;
          process.exitCode = ok ? 0 : 1;
        } finally {
          await connection.close();
        }
      },
    );
}
