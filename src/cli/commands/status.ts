import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";

interface GoalRecord {
  goalId: string;
  state: string;
  status: string;
  updatedAt: string;
  context: {
    text: string;
    tasks: Record<string, { status: string; spec: { role: string } }>;
    reason?: string;
  };
}

const decoder = new TextDecoder();

/** Reads every goal the coordinator has persisted in the `guild-state` bucket. */
export async function readGoals(bus: Bus): Promise<GoalRecord[]> {
  const keys = await bus.kv.keys("goal.>");
  const records: GoalRecord[] = [];
  for (const key of keys) {
    const entry = await bus.kv.get(key);
    if (entry && entry.operation === "PUT")
      records.push(JSON.parse(decoder.decode(entry.value)) as GoalRecord);
  }
  return records.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
}

/** `guild status`: each goal's status, state and task counts. */
export async function runStatus(bus: Bus, options: { json?: boolean }, output: Output): Promise<number> {
  const goals = await readGoals(bus);
  if (options.json) {
    output.out(JSON.stringify(goals));
    return 0;
  }
  if (goals.length === 0) output.out("no goals yet");
  for (const goal of goals) {
    const tasks = Object.values(goal.context.tasks);
    const done = tasks.filter((t) => t.status === "accepted").length;
    output.out(
      `${goal.goalId}  ${goal.status.padEnd(10)} ${goal.state.padEnd(22)} ${done}/${tasks.length} tasks accepted  "${goal.context.text}"${goal.context.reason ? `  — ${goal.context.reason}` : ""}`,
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
