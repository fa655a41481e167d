import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { nextSlot, parseSchedule, readSchedules } from "../../coordinator/index.js";
import { readGoals, taskCounts } from "../client/index.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";

/** One line per scheduled goal: its cron, next run, and the last run with its goal. */
async function scheduleLines(bus: Bus): Promise<string[]> {
  return (await readSchedules(bus.kv)).map((s) => {
    let next = "never";
    try {
      const at = nextSlot(
        parseSchedule({
          cron: s.cron,
          goal: s.goal,
          base: "HEAD",
          ...(s.timezone ? { timezone: s.timezone } : {}),
        }),
        Date.now(),
      );
      if (at !== undefined) next = new Date(at).toISOString();
    } catch {
      next = "invalid cron";
    }
    const last = s.lastSlot
      ? `last ${s.lastSlot} → ${s.lastGoalId}${s.started ? "" : " (not started yet)"}`
      : "not run yet";
    return `schedule ${s.id}  "${s.cron}"  next ${next}  ${last}  "${s.goal}"`;
  });
}

/** `guild status`: each goal's status, state and task counts. */
export async function runStatus(bus: Bus, options: { json?: boolean }, output: Output): Promise<number> {
  const goals = await readGoals(bus);
  if (options.json) {
    output.out(JSON.stringify(goals));
    return 0;
  }
  if (goals.length === 0) output.out("no goals yet");
  for (const line of await scheduleLines(bus)) output.out(line);
  for (const goal of goals) {
    const { tasks, accepted } = taskCounts(goal);
    output.out(
      `${goal.goalId}  ${goal.status.padEnd(10)} ${goal.state.padEnd(22)} ${accepted}/${tasks} tasks accepted  "${goal.context.text}"${goal.context.reason ? `  — ${goal.context.reason}` : ""}`,
    );
  }
  return 0;
}

export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("the goals this guild knows, with their state")
    .option("--json", "as JSON")
    .action(async (opts: { json?: boolean }) => {
      const connection = await connectBus({});
      try {
        process.exitCode = await runStatus(connection.bus, opts, processOutput);
      } finally {
        await connection.close();
      }
    });
}
