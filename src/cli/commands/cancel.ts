import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { controlGoal } from "../client/index.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";

/**
 * `guild cancel <goal>`: asks the coordinator to cancel a goal. It stops the goal's agents, which keep
 * their uncommitted work on salvage refs, and the goal ends `cancelled`. Returns the exit code.
 */
export async function cancelGoal(
  bus: Bus,
  goalId: string,
  options: { reason?: string },
  output: Output,
): Promise<number> {
  const { ok, message } = await controlGoal(bus, goalId, {
    action: "cancel",
    reason: options.reason ?? "cancelled by user",
  });
  if (ok) output.out(`goal ${goalId}: ${message}`);
  else output.err(`goal ${goalId}: ${message}`);
  return ok ? 0 : 1;
}

export function registerCancelCommand(program: Command): void {
  program
    .command("cancel <goal>")
    .description("cancel a goal: its agents stop and keep their work on salvage refs")
    .option("--reason <text>", "why, recorded with the goal")
    .action(async (goalId: string, opts: { reason?: string }) => {
      const connection = await connectBus({});
      try {
        process.exitCode = await cancelGoal(
          connection.bus,
          goalId,
          opts.reason ? { reason: opts.reason } : {},
          processOutput,
        );
      } finally {
        await connection.close();
      }
    });
}
