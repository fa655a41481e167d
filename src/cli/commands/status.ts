import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { AgentPresence } from "../../protocol/index.js";
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

/** The agents whose heartbeat is in the presence bucket (the server drops one a TTL after its last). */
export async function readAgents(bus: Bus): Promise<AgentPresence[]> {
  const agents: AgentPresence[] = [];
  for (const key of await bus.presence.keys()) {
    const entry = await bus.presence.get(key);
    if (!entry) continue;
    const parsed = AgentPresence.safeParse(JSON.parse(decoder.decode(entry.value)));
    if (parsed.success) agents.push(parsed.data);
  }
  return agents.sort((a, b) => a.agentId.localeCompare(b.agentId));
}

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}

/** `guild status --agents`: who is up, where (host, pid), on what task, since when. */
export async function runAgentsStatus(
  bus: Bus,
  options: { json?: boolean },
  output: Output,
): Promise<number> {
  const agents = await readAgents(bus);
  if (options.json) {
    output.out(JSON.stringify(agents));
    return 0;
  }
  if (agents.length === 0) output.out("no agents up");
  const now = Date.now();
  for (const a of agents) {
    const work = a.task
      ? `working on ${a.task.goalId}/${a.task.taskId} (attempt ${a.task.attempt}) for ${ago(a.task.since, now)}`
      : "idle";
    output.out(
      `${a.agentId.padEnd(14)} ${a.role.padEnd(10)} ${`${a.host}:${a.pid}`.padEnd(24)} up ${ago(a.since, now).padEnd(5)} ${work}`,
    );
  }
  return 0;
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
    .option("--agents", "the agents that are up: where, on what task, since when")
    .action(async (opts: { json?: boolean; agents?: boolean }) => {
      const connection = await connectBus({});
      try {
        const run = opts.agents ? runAgentsStatus : runStatus;
        process.exitCode = await run(connection.bus, opts, processOutput);
      } finally {
        await connection.close();
      }
    });
}
