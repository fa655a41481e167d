import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { readGoals, taskCounts } from "../client/index.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";

/** `guild status`: each goal's status, state and task counts. */
export async function runStatus(bus: Bus, options: { json?: boolean }, output: Output): Promise<number> {
  const goals = await readGoals(bus);
  if (options.json) {
    output.out(JSON.stringify(goals));
    return 0;
  }
  if (goals.length === 0) output.out("no goals yet");
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
